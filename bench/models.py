"""A table for floor B of bench/floors.py only (bench settings; created by ``migrate --run-syncdb``, no migration)."""

from django.db import models


class FloorEntry(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
