import re

from django import forms

from concord.core.forms import OneTimeTokenMixin


class ExampleForm(OneTimeTokenMixin, forms.Form):
    name = forms.CharField(label="Name", help_text="As it appears on your badge.")
    email = forms.EmailField(label="Email")
    agrees = forms.BooleanField(label="I agree")


def test_a_field_error_is_shown_beside_its_field_and_linked_to_it() -> None:
    html = str(ExampleForm(data={"name": "Ana", "email": "nope"}))

    assert (
        '<span class="usa-error-message" id="id_email_error">Enter a valid email address.</span>'
        in html
    )
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", html)
    assert email_input is not None
    assert 'aria-describedby="id_email_error"' in email_input.group(0)
    assert 'aria-invalid="true"' in email_input.group(0)
    assert "usa-input--error" in email_input.group(0)


def test_errors_on_a_checkbox_are_shown_too() -> None:
    html = str(ExampleForm(data={"name": "Ana", "email": "a@example.org"}))

    assert 'id="id_agrees_error">This field is required.</span>' in html


def test_typed_values_come_back_and_the_summary_says_so() -> None:
    html = str(ExampleForm(data={"name": "Ana <b>", "email": "nope"}))

    assert 'value="Ana &lt;b&gt;"' in html
    assert "Please correct the errors below." in html


def test_help_text_is_linked_to_its_input() -> None:
    html = str(ExampleForm())

    name_input = re.search(r"<input[^>]*name=\"name\"[^>]*>", html)
    assert name_input is not None
    assert 'aria-describedby="id_name_helptext"' in name_input.group(0)
    assert "usa-form-group--error" not in html
