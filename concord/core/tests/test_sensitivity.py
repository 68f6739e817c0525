from django.apps import apps

from concord.core.sensitivity import Sensitivity, sensitivity_of, unclassified_fields


def test_every_model_field_has_a_sensitivity_class() -> None:
    missing = {
        model._meta.label: fields
        for model in apps.get_models()
        if (fields := unclassified_fields(model))
    }

    assert missing == {}, (
        "Classify these fields with concord.core.sensitivity.classify(...) next to the model: "
        f"{missing}"
    )


def test_personal_fields_of_people_are_classified_personal() -> None:
    user = apps.get_model("accounts", "User")

    assert sensitivity_of(user, "email") == Sensitivity.PERSONAL
    assert sensitivity_of(user, "full_name") == Sensitivity.PERSONAL
    assert sensitivity_of(user, "is_staff") == Sensitivity.INTERNAL
