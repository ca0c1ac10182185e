"""Forms for question sets, audit rounds, grading, moderation, learning and family feedback. They parse what was typed; services decide.

Forms built from a question set take it (or its questions) as an argument with a default, so a form
can always be built; every form keeps what was typed when it fails. `error_links()` gives the error
summary an anchor per message (the first radio of a radio group, as GOV.UK asks).
"""

from django import forms
from django.contrib.auth import get_user_model

from cases.models import Threshold
from neglect_portal.govuk_forms import GovukFormMixin
from partnership.wording import mark_wording_fields

from . import selectors
from .models import FeedbackChannel, FeedbackOccasion, Grade, LearningActionStatus, QuestionSet, QuestionSetKind, QuestionSetStatus, Respondent
from .question_sets import QuestionSetError, parse_text

NO_CHILD_NAMES = "Those who read this see no case records: do not name a child, a family member or a case worker."


# --- Question sets ------------------------------------------------------------------------------------


class QuestionSetLoadForm(GovukFormMixin, forms.Form):
    document = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        label="Question set (JSON)",
        help_text="The set's key, name, kind and questions (see a published set for the shape). Errors name their place, for example questions[2].",
        error_messages={"required": "Paste the question set"},
    )

    def clean_document(self):
        try:
            return parse_text(self.cleaned_data["document"])
        except QuestionSetError as error:
            raise forms.ValidationError(error.messages) from error


# --- Rounds -------------------------------------------------------------------------------------------


class RoundForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title for the round"})
    theme = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What the round looks at, for example neglect at early help.",
        error_messages={"required": "Describe the round's theme"},
    )
    question_set = forms.ModelChoiceField(
        queryset=QuestionSet.objects.filter(kind=QuestionSetKind.CASE_AUDIT, status=QuestionSetStatus.PUBLISHED).order_by("name"),
        empty_label=None,
        label="Questions",
        error_messages={"required": "Choose the question set", "invalid_choice": "Choose a published audit question set"},
    )
    starts_on = forms.DateField(label="First day", error_messages={"required": "Enter the round's first day", "invalid": "Enter the first day as a date"})
    ends_on = forms.DateField(
        label="Last day",
        help_text="Auditors can read the sampled cases until the end of this day, or until the round is closed.",
        error_messages={"required": "Enter the round's last day", "invalid": "Enter the last day as a date"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_set"].label_from_instance = lambda question_set: f"{question_set.name} (version {question_set.version})"


PLAN_CHOICES = [("", "Any plan or none")] + [(key, words[0].upper() + words[1:]) for key, (words, _) in selectors.PLAN_FILTERS.items()]
STATUS_CHOICES = [("", "Open or closed"), ("open", "Open cases"), ("closed", "Closed cases")]


class SampleDrawForm(GovukFormMixin, forms.Form):
    size = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="How many cases",
        error_messages={
            "required": "Enter how many cases to draw",
            "invalid": "Enter a whole number",
            "min_value": "Draw at least 1 case",
            "max_value": "Draw at most 100 cases",
        },
    )
    plan = forms.ChoiceField(choices=PLAN_CHOICES, required=False, label="Plans")
    threshold = forms.ChoiceField(choices=[("", "Any level of need"), *Threshold.choices], required=False, label="Level of need (now)")
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label="Case status")
    opened_since = forms.DateField(required=False, label="Opened on or after", error_messages={"invalid": "Enter the date as a date"})
    lead_agency = forms.ModelChoiceField(
        queryset=selectors.agencies_for_actions(),
        required=False,
        empty_label="Any lead agency",
        error_messages={"invalid_choice": "Choose one of the agencies"},
    )


class SampleAddForm(GovukFormMixin, forms.Form):
    case_number = forms.IntegerField(
        min_value=1,
        max_value=2**62,
        label="Case number",
        error_messages={
            "required": "Enter the case number",
            "invalid": "Enter the case number in digits",
            "min_value": "Enter the case number in digits",
            "max_value": "Enter the case number in digits",
        },
    )


class AuditorForm(GovukFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        queryset=selectors.possible_auditors(),
        label="Auditor",
        help_text="A practitioner, manager or designated safeguarding lead: one from each agency taking part.",
        error_messages={"required": "Choose the auditor", "invalid_choice": "Choose a case worker of an active agency"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.membership.agency}: {user.get_full_name() or user.username} ({user.membership.get_role_display()})"
        )


class ModeratorForm(GovukFormMixin, forms.Form):
    moderator = forms.ChoiceField(
        choices=(),
        label="Moderator",
        help_text="One of the auditors: they see every agency's grades and record the agreed grades.",
        error_messages={"required": "Choose the moderator", "invalid_choice": "Choose one of the round's auditors"},
    )

    def __init__(self, *args, auditors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"].choices = [
            (auditor.user_id, f"{auditor.user.get_full_name() or auditor.user.username} ({auditor.agency})") for auditor in auditors
        ]

    def clean_moderator(self):
        return get_user_model().objects.filter(pk=self.cleaned_data["moderator"]).first()


# --- Grading and moderation -----------------------------------------------------------------------------


def _grade_field(*, required, label):
    return forms.ChoiceField(
        choices=Grade.choices, widget=forms.RadioSelect, required=required, label=label, error_messages={"required": "Choose the agreed grade"}
    )


class GradeForm(GovukFormMixin, forms.Form):
    """An auditor's grade and evidence for each question (`grade_<id>`, `evidence_<id>`); questions may be left for later."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"grade_{question.id}"] = _grade_field(required=False, label="Grade")
            self.fields[f"evidence_{question.id}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                label="Evidence",
                help_text="Needed with every grade but not applicable.",
                max_length=10_000,
            )
        mark_wording_fields(self, [f"evidence_{question.id}" for question in self.questions])
        self.apply_govuk_classes()

    def grades(self):
        return {
            question.id: (self.cleaned_data.get(f"grade_{question.id}") or "", self.cleaned_data.get(f"evidence_{question.id}") or "")
            for question in self.questions
        }

    def rows(self):
        """(question, grade field, evidence field) for the template."""
        return [(question, self[f"grade_{question.id}"], self[f"evidence_{question.id}"]) for question in self.questions]

    @staticmethod
    def field_for(key):
        question_id, _, part = key.partition(".")
        return f"{part}_{question_id}" if part else key


class ModerationForm(GovukFormMixin, forms.Form):
    overall_grade = forms.ChoiceField(
        choices=[c for c in Grade.choices if c[0] != Grade.NOT_APPLICABLE],
        widget=forms.RadioSelect,
        label="Overall grade for the case",
        error_messages={"required": "Choose the overall grade for the case"},
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        label="What the auditors agreed",
        help_text="The strengths, the gaps and why the grades were agreed. This stays with the audit of this case.",
        error_messages={"required": "Summarise what the auditors agreed"},
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"grade_{question.id}"] = _grade_field(required=True, label="Agreed grade")
            self.fields[f"note_{question.id}"] = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note", max_length=10_000)
        mark_wording_fields(self, ["summary", *(f"note_{question.id}" for question in self.questions)])
        self.order_fields([*(name for question in self.questions for name in (f"grade_{question.id}", f"note_{question.id}")), "overall_grade", "summary"])
        self.apply_govuk_classes()

    def grades(self):
        return {
            question.id: (self.cleaned_data.get(f"grade_{question.id}") or "", self.cleaned_data.get(f"note_{question.id}") or "")
            for question in self.questions
        }

    def rows(self):
        return [(question, self[f"grade_{question.id}"], self[f"note_{question.id}"]) for question in self.questions]

    field_for = GradeForm.field_for


# --- Learning and actions ---------------------------------------------------------------------------------


class LearningPointForm(GovukFormMixin, forms.Form):
    question_id = forms.ChoiceField(choices=(), required=False, label="Question it is about")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        label="What the audit found",
        help_text=NO_CHILD_NAMES,
        error_messages={"required": "Describe what the audit found"},
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_id"].choices = [("", "The round as a whole")] + [(question.id, question.text) for question in questions]


class LearningActionForm(GovukFormMixin, forms.Form):
    what = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        label="What will be done",
        help_text=NO_CHILD_NAMES,
        error_messages={"required": "Say what will be done"},
    )
    owner_agency = forms.ModelChoiceField(
        queryset=selectors.agencies_for_actions(),
        label="Owner agency",
        error_messages={"required": "Choose the agency that owns the action", "invalid_choice": "Choose one of the agencies"},
    )
    owner = forms.CharField(
        max_length=200,
        label="Owner",
        help_text="The person or post who will make sure it is done, for example Head of Early Help.",
        error_messages={"required": "Enter who owns the action"},
    )
    due_on = forms.DateField(label="Due date", error_messages={"required": "Enter the due date", "invalid": "Enter the due date as a date"})
    learning_point = forms.ChoiceField(choices=(), required=False, label="From the learning point")

    def __init__(self, *args, learning_points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = {str(point.pk): point for point in learning_points}
        self.fields["learning_point"].choices = [("", "None in particular")] + [(key, point.text[:120]) for key, point in self.points.items()]

    def clean_learning_point(self):
        return self.points.get(self.cleaned_data.get("learning_point") or "")


class ActionUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(choices=LearningActionStatus.choices, widget=forms.RadioSelect, error_messages={"required": "Choose the action's status"})
    progress = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10_000, label="Progress")
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
        label="Evidence it is done",
        help_text="Needed when the action is done: what shows it is done and made a difference.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)


# --- Family feedback ------------------------------------------------------------------------------------


class FeedbackWhoForm(GovukFormMixin, forms.Form):
    respondent = forms.ChoiceField(
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        label="Whose feedback is it?",
        help_text="A child or young person answers a shorter version with pictures.",
        error_messages={"required": "Choose whose feedback it is"},
    )
    occasion = forms.ChoiceField(
        choices=FeedbackOccasion.choices, widget=forms.RadioSelect, label="When is it given?", error_messages={"required": "Choose when the feedback is given"}
    )


class FeedbackSendForm(FeedbackWhoForm):
    channel = forms.ChoiceField(
        choices=FeedbackChannel.choices, widget=forms.RadioSelect, label="Send the link by", error_messages={"required": "Choose email or text message"}
    )
    address = forms.CharField(
        max_length=254,
        label="Email address or mobile number",
        help_text="Used only to send the link, then deleted. The message names the partnership and nothing about the case.",
        error_messages={"required": "Enter the email address or mobile number"},
    )


class FeedbackAnswersForm(GovukFormMixin, forms.Form):
    """A family's answers to a feedback set: a radio group per scale question (with pictures in the child's version), a box per text one.

    Every question may be skipped; the service asks for at least one answer.
    """

    def __init__(self, *args, question_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = question_set.parsed if question_set is not None else None
        questions = self.parsed.questions if self.parsed else ()
        for question in questions:
            if question.type == "text":
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10_000)
            else:
                field = forms.ChoiceField(
                    choices=[(point.value, point.label) for point in self.parsed.scale], widget=forms.RadioSelect, required=question.required
                )
            field.label, field.help_text = question.text, question.hint
            self.fields[question.id] = field
        self.apply_govuk_classes()

    def answers(self):
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def rows(self):
        """(question, bound field, [(point, bound radio)]) for the template: the pictures sit beside each answer."""
        rows = []
        for question in self.parsed.questions if self.parsed else ():
            bound = self[question.id]
            options = list(zip(self.parsed.scale, bound, strict=False)) if question.type != "text" else []
            rows.append((question, bound, options))
        return rows
