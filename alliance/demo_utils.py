"""Helpers for the idempotent demo loaders."""


def upsert(model, lookup, defaults=None):
    """Get the row matching lookup, creating it or updating only the fields that differ.

    Unlike update_or_create it writes nothing (and adds no history) when the row is already as wanted.
    """
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        return obj
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj
