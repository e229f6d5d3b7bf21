import factory

from alliance.models import Alliance, Announcement, CharterRules, User


PASSWORD = "pass-word-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    name = factory.Sequence(lambda n: f"用户{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=kwargs.pop("password", PASSWORD), **kwargs)


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试联盟{n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    code = factory.Sequence(lambda n: f"AL{n}")
    rules = factory.RelatedFactory("alliance.tests.factories.CharterRulesFactory", factory_related_name="alliance")


class CharterRulesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterRules

    alliance = factory.SubFactory(AllianceFactory, rules=None)
    admits_units = True
    admits_individuals = True


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"公告{n}")
    body = "公告正文"


def staff_of(alliance, **kwargs):
    """A secretariat staff account of one alliance, granted through the service."""
    from alliance.services import secretariat_grant

    user = UserFactory(**kwargs)
    secretariat_grant(actor=None, user=user, alliance=alliance)
    return user


def shown_post(*forms):
    """What a page with these (unbound) forms posts back when the person changes nothing, files aside; a required
    choice left empty gets its first choice."""
    from django import forms as django_forms

    post = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, django_forms.FileField):
                continue
            if value in (None, "") and field.required and getattr(field, "choices", None):
                value = next(key for key, _label in field.choices if key not in (None, ""))
            if value is None or value is False:
                continue
            post[form.add_prefix(name)] = "on" if value is True else value
    return post
