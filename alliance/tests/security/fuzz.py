"""Hypothesis strategies and checks for posting hostile text into every field of a form."""

from django import forms as django_forms
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

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
