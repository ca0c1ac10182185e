from django import forms

from neglect_portal.govuk_forms import GovukFormMixin


class PdfForm(GovukFormMixin, forms.Form):
    for_publication = forms.BooleanField(
        required=False,
        label="For publication",
        help_text=(
            "Counts of children from 1 to 4 are shown as “fewer than 5”, and any figure they could be worked out from "
            "(a rate, a percentage, a total, a change since last quarter, a chart point) as “not shown”, so no child can be recognised. "
            "The strategy group’s narrative is left out."
        ),
    )


# --- The strategy group's pages: set-up, targets, narrative and sign-off -----------------------------


class _VersionField(forms.IntegerField):
    def __init__(self):
        super().__init__(widget=forms.HiddenInput, min_value=1, error_messages={"required": "Open the page again: it was sent without its version"})


class SetupForm(GovukFormMixin, forms.Form):
    measure_set = forms.ChoiceField(
        label="Measure set",
        required=False,
        widget=forms.RadioSelect,
        help_text="The strategy whose measures the dashboard shows. Without one it shows every measure of the catalogue.",
        error_messages={"invalid_choice": "Choose one of the measure sets listed"},
    )
    added_measures = forms.MultipleChoiceField(
        label="Measures added from the catalogue",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Shown beside the set's own measures.",
        error_messages={"invalid_choice": "Choose measures from the catalogue"},
    )
    board = forms.CharField(
        label="Board the report goes to",
        required=False,
        max_length=200,
        help_text="Printed on the report's cover, for example Safeguarding Children Partnership Executive.",
        error_messages={"max_length": "The board's name must be 200 characters or fewer"},
    )
    version = _VersionField()

    def __init__(self, *args, sets=(), catalogue=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_set"].choices = [("", "Every measure of the catalogue")] + [(s.key, s.name) for s in sets]
        self.fields["added_measures"].choices = [(m.key, m.title) for m in catalogue]


class TargetForm(GovukFormMixin, forms.Form):
    value = forms.FloatField(
        label="Target",
        required=False,
        help_text="Leave it empty to remove the target: the measure then has no RAG rating.",
        error_messages={"invalid": "Enter the target as a number, for example 15 or 12.5"},
    )
    reason = forms.CharField(
        label="Why the strategy group set this target",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example the national average it compares with, or the board meeting that agreed it. Printed in the report.",
        error_messages={"required": "Say why the strategy group set this target (or removed it)", "max_length": "The reason must be 2,000 characters or fewer"},
    )


class ReportForm(GovukFormMixin, forms.Form):
    escalations = forms.CharField(
        label="Issues to escalate to the safeguarding partnership",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not name or describe a child or family.",
    )
    version = _VersionField()

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        narratives = {
            f"narrative_{key}": forms.CharField(
                label=title,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Do not name or describe a child or family.",
            )
            for key, title in themes
        }
        self.fields = {**narratives, **self.fields}
        self.apply_govuk_classes()

    def narratives(self):
        return {name.removeprefix("narrative_"): value for name, value in self.cleaned_data.items() if name.startswith("narrative_")}


class SignOffForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the person signing off",
        max_length=200,
        error_messages={"required": "Enter the name of the person signing the quarter off", "max_length": "The name must be 200 characters or fewer"},
    )
    position = forms.CharField(
        label="Their position",
        required=False,
        max_length=200,
        help_text="For example Chair, Neglect Strategy Group.",
        error_messages={"max_length": "The position must be 200 characters or fewer"},
    )
    confirm = forms.BooleanField(
        label="I sign these figures and words off for the quarter",
        help_text="The words are then locked and the signed report is made.",
        error_messages={"required": "Confirm that you sign the quarter off"},
    )
    version = _VersionField()
