"""The profile's phone is checked as the members' phones are, and kept in ASCII when typed full-width."""

import pytest
from django.urls import reverse

from alliance.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_profile_phone_of_dashes_is_refused_on_its_field(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profile"), {"name": "李华", "phone": "-----"})
    assert response.status_code == 200
    assert "请输入手机号码或带区号的固定电话" in str(response.context["form"].errors["phone"])
    user.refresh_from_db()
    assert user.phone != "-----"


def test_a_full_width_profile_phone_is_kept_in_ascii(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("profile"), {"name": "李华", "phone": "１３８１２３４５６７８"})
    user.refresh_from_db()
    assert user.phone == "13812345678"
