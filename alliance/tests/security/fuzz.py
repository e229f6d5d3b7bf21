"""Hypothesis strategies and checks for posting hostile text into every field of a form."""

from django import forms as django_forms
from django.core import validators as dv
from django.utils import translation
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from members import validators as mv

MARK = "<script>xss()</script>"
PAYLOADS = [
    MARK, f'"><{MARK[1:]}', f"'{MARK}", "<img src=x onerror=alert(1)>", "<b>粗体</b>&amp;&lt;", "\x00", "a\x00b",
    "\x1b[31m\x07\x08", "\u202e\u200b\ufeff", "'; DROP TABLE alliance_user; --", "{{ 7|add:7 }}{% now 'Y' %}",
    "%s%n%x", "😀" * 20, " ", "", "-1", "0", "99999999999999999999", "2026-02-30", "javascript:alert(1)",
]
TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=250, max_size=1200),
    st.builds(lambda a, b: a + MARK + b, st.text(max_size=10), st.text(max_size=10)),
    st.integers(min_value=3000, max_value=6000).map(lambda n: "长" * n),
)
# No shrinking: a failure is reported at once with its example (shrinking a slow Django round-trip takes minutes).
FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate], print_blob=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


def fields_of(form):
    return [name for name, field in form.fields.items() if not isinstance(field, django_forms.FileField)]


def draw_fields(data, names, prefix=""):
    return {f"{prefix}{name}": data.draw(TEXT, label=f"{prefix}{name}") for name in names}


def check(response, *, refused_ok=True):
    """No server error; member text never comes back as markup; a refusal always says why."""
    assert response.status_code < 500, response.status_code
    content = response.content.decode(errors="replace")
    assert MARK not in content and "<img src=x" not in content, "member text came back unescaped"
    chain = getattr(response, "redirect_chain", None)  # None: a plain GET, checked for escaping only
    if chain is not None and response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        messages = list(response.context["messages"]) if response.context and "messages" in response.context else []
        form_errors = "errorlist" in content
        if not chain:  # the form came back: it was refused, and must say why
            assert form_errors or messages, "a refused form without a message"
        else:  # redirected after the post: a success or a refusal, announced either way
            assert messages or form_errors or not refused_ok, "a post answered without a message"
    return response


# ---- Values a person may type, up to each field's limit: saved whole, or refused with a message on the field ----

UNLIMITED = 3000  # the length tried in a text field without a limit (PostgreSQL would refuse a column's excess)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
# What a person types and a form keeps as typed: no control characters and no spaces (a form strips them).
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"))
LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
# Each example is a whole post read back from the database: a few per form keep the file within two minutes.
LIMITS = settings(FUZZ, max_examples=6)


def text_up_to(limit):
    """Text of 1..limit characters, often exactly limit and often CJK (PostgreSQL counts characters, not bytes).

    A short random piece repeated to the length: the same variety as a long draw without its cost."""
    piece = st.one_of(st.text(CJK, min_size=1, max_size=12),
                      st.text(st.one_of(CJK, PRINTABLE), min_size=1, max_size=12))
    return st.builds(lambda p, n: (p * n)[:n], piece, st.one_of(st.just(limit), st.integers(1, limit)))


def _email_of_length(n):
    local = "a" * min(64, n - 6)
    domain = n - len(local) - 4  # "@" and ".cn"
    labels = [LOWER[i % 26] * 63 for i in range(domain // 64)]
    rest = domain - 64 * len(labels)
    return f"{local}@{'.'.join([*labels, 'm' * rest] if rest else labels)}.cn"


def email_up_to(limit):
    label = st.text(LOWER, min_size=1, max_size=63)
    drawn = st.builds(lambda local, labels: f"{local}@{'.'.join(labels)}.cn", st.text(LOWER, min_size=1, max_size=64),
                      st.lists(label, min_size=1, max_size=3))
    return st.one_of(st.just(_email_of_length(limit)), drawn.filter(lambda e: len(e) <= limit))


def _matching(regex):
    return st.from_regex(regex, fullmatch=True).filter(lambda s: s == s.strip() and "\x00" not in s)


VALID_BY_VALIDATOR = {
    mv.validate_mobile: _matching(mv.MOBILE_RE),
    mv.validate_landline: _matching(mv.LANDLINE_RE),
    mv.validate_phone: st.one_of(_matching(mv.MOBILE_RE), _matching(mv.LANDLINE_RE)),
    mv.validate_postcode: _matching(mv.POSTCODE_RE),
    # GB 32100-2015: an 8-digit registration authority, type and region, then 9 characters of the alphabet.
    mv.validate_credit_code: st.builds(lambda head, tail: head + tail, st.text("0123456789", min_size=8, max_size=8),
                                       st.text(mv.USCC_ALPHABET, min_size=9, max_size=9)).map(
        lambda s: s + mv.credit_code_check_char(s)),
}


def _values_for(name, field, model_field):
    """The valid values of one text field, judged by its validators and its model column's."""
    limit = field.max_length or getattr(model_field, "max_length", None)
    for validator in [*field.validators, *getattr(model_field, "validators", [])]:
        known = [values for function, values in VALID_BY_VALIDATOR.items() if function is validator]
        if known:
            return known[0].filter(lambda s: limit is None or len(s) <= limit)
        if type(validator) is dv.RegexValidator and not validator.inverse_match:
            return _matching(validator.regex).filter(lambda s: limit is None or len(s) <= limit)
        if not isinstance(validator, (dv.MaxLengthValidator, dv.ProhibitNullCharactersValidator, dv.EmailValidator)):
            raise AssertionError(f"no valid values known for {name}'s validator {validator!r}")
    if isinstance(field, django_forms.EmailField):
        return email_up_to(limit or 254)
    return text_up_to(limit or UNLIMITED)


def text_fields(form):
    """{post key: (limit, valid values, field name)} for each text field of a form; the limit is the form field's
    max_length, else its model column's, else None."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    columns = {f.name: f for f in model._meta.get_fields()} if model else {}
    fields = {}
    for name, field in form.fields.items():
        if type(field) not in (django_forms.CharField, django_forms.EmailField):
            continue
        column = columns.get(name)
        limit = field.max_length or getattr(column, "max_length", None)
        fields[form.add_prefix(name)] = (limit, _values_for(name, field, column), name)
    return fields


def draw_typed(data, fields):
    """Valid values for every field, and maybe one field (its key) filled one character past its limit."""
    post = {key: data.draw(values, label=key) for key, (_limit, values, _name) in fields.items()}
    limited = sorted(key for key, (limit, _values, _name) in fields.items() if limit)
    overlong = None
    if limited:  # about one example in three
        overlong = data.draw(st.one_of(st.none(), st.none(), st.sampled_from(limited)), label="overlong")
    if overlong:
        post[overlong] = "长" * (fields[overlong][0] + 1)
    return post, overlong


def too_long_message(limit):
    with translation.override("zh-hans"):
        try:
            django_forms.CharField(max_length=limit).clean("长" * (limit + 1))
        except django_forms.ValidationError as exc:
            return exc.messages[0]
    raise AssertionError("not refused")


def errors_shown(response):
    """{post key: [messages]} of every form (and formset form) the response's page shows."""
    shown = {}

    def visit(value):
        if isinstance(value, django_forms.BaseForm):
            shown.update({value.add_prefix(name): list(errors) for name, errors in value.errors.items()})
        elif isinstance(value, django_forms.BaseFormSet):
            for form in value.forms:
                visit(form)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)

    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in filter(None, contexts):
        for layer in context.dicts:
            for value in layer.values():
                visit(value)
    return shown


def refused_on_its_field(response, key, post):
    """The too-long value posted under key was refused with Django's Chinese message, next to its field (or, on a
    page that redirects, in the message it shows)."""
    assert response.status_code < 500, response.status_code
    message = too_long_message(len(post[key]) - 1)
    if response.status_code == 200 and key in errors_shown(response):
        assert message in errors_shown(response)[key], errors_shown(response)[key]
    else:
        notes = [str(m) for m in response.context["messages"]] if response.context else []
        assert any(message in note for note in notes), (key, notes)
