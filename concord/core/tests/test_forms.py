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


class ChoiceGroupForm(forms.Form):
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=[("urgent", "Urgent"), ("routine", "Routine")],
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label="Needs",
        choices=[("shelter", "Shelter"), ("legal", "Legal help")],
        widget=forms.CheckboxSelectMultiple,
        help_text="The kinds of help.",
    )


def test_radio_and_checkbox_groups_are_fieldsets_named_by_a_legend() -> None:
    html = str(ChoiceGroupForm(initial={"urgency": "routine", "needs": ["legal"]}))

    assert html.count("<fieldset") == 2
    assert '<legend class="usa-legend">Urgency' in html
    assert 'for="id_urgency"' not in html  # a label cannot name a group
    assert (
        '<input class="usa-radio__input" type="radio" name="urgency" id="id_urgency_1" '
        'value="routine" checked>' in html
    )
    assert '<label class="usa-radio__label" for="id_urgency_1">Routine</label>' in html
    assert '<label class="usa-checkbox__label" for="id_needs_1">Legal help</label>' in html
    assert 'aria-describedby="id_needs_helptext"' in html


def test_errors_on_a_choice_group_mark_each_option_invalid() -> None:
    html = str(ChoiceGroupForm(data={"needs": ["nothing-like-it"]}))

    assert 'aria-describedby="id_urgency_error"' in html
    assert 'id="id_urgency_error">This field is required.</span>' in html
    assert html.count('aria-invalid="true"') == 4
