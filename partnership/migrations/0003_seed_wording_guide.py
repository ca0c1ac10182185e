"""A starting wording guide, for partnership admins to edit (docs/domain.md, "Words that do not blame").

The entries replace the short list that lived in settings (`BLAMING_TERMS`), widened to the phrases
the expert feedback names: "refused to engage" and "not engaging", "difficult", "failure to meet",
"neglectful parents". "Disguised compliance" is left out on purpose: the county's neglect strategy
uses the term itself, as a pattern practitioners should recognise, so a hint against it would
contradict the partnership's own guidance.

The words are kept here, not read from a file, so this migration always seeds the same list. A
phrase an admin has already added is left as the admin wrote it. Reversing removes only the entries
this migration added and nobody has changed since.
"""
from django.db import migrations

SEED = [
    {
        "phrase": "refused to engage",
        "also_matches": "refusal to engage\nwould not engage\nwill not engage\nwon't engage\nwouldn't engage",
        "unless": "",
        "why": "It puts the reason for a gap in help on the family, and hides what was offered, when, and what got in the way.",
        "instead": "Say what was offered, when and how, what happened, and what the family said about it: "
        "\"Home visits were offered on 3 and 10 March; no one answered the door. Mum texted that she was at work.\"",
    },
    {
        "phrase": "not engaging",
        "also_matches": "failed to engage\nfailing to engage\nfails to engage\ndisengaged\nnon engagement\nlack of engagement\npoor engagement",
        "unless": "",
        "why": "Engagement is between the family and the services: the phrase blames one side and says nothing about what the child needs.",
        "instead": "Describe which visits or appointments happened and which did not, and what might make the help easier to take up.",
    },
    {
        "phrase": "difficult",
        "also_matches": "",
        "unless": "found * difficult\nfind * difficult\nfinds * difficult\nfinding * difficult",
        "why": "Calling a parent or a child difficult describes how the worker felt, not what happened, and the label follows the family "
        "from record to record. (A child finding something difficult, such as the stairs, is a fact about the child and is not flagged.)",
        "instead": "Say what was said or done, and what it meant for the child: "
        "\"Dad raised his voice and asked me to leave when I asked to see the bedroom.\"",
    },
    {
        "phrase": "failure to meet",
        "also_matches": "failed to meet\nfailing to meet\nfails to meet\nfailure to provide\nfailed to provide\nfailing to provide",
        "unless": "",
        "why": "It judges the parent rather than describing the child: the reader learns who is at fault, not what the child is missing.",
        "instead": "Name the need and what is happening for the child: \"Her school shoes have split; she has had wet feet all week.\"",
    },
    {
        "phrase": "neglectful parents",
        "also_matches": "neglectful mother\nneglectful father\nneglectful mum\nneglectful dad\nneglectful carer\nneglectful family",
        "unless": "",
        "why": "Neglect is what happens to the child; labelling the parent closes the conversation about what would help.",
        "instead": "Describe the child's unmet needs and their impact, carer by carer, and what each carer is managing.",
    },
    {
        "phrase": "non-compliant",
        "also_matches": "not compliant\nuncooperative\nnot cooperating\nnot co-operating",
        "unless": "",
        "why": "It measures the family against what services wanted and hides what was asked, and why.",
        "instead": "Say what was agreed, what happened, and the family's account in their own words.",
    },
    {
        "phrase": "chaotic",
        "also_matches": "",
        "unless": "",
        "why": "A judgement that means different things to different readers.",
        "instead": "Describe what you saw: \"No food in the fridge; the children's beds had no sheets; three appointments missed this month.\"",
    },
    {
        "phrase": "manipulative",
        "also_matches": "manipulating",
        "unless": "",
        "why": "It states an intention nobody can see; the record should hold what was said or done.",
        "instead": "Quote or describe what was said or done, and its effect on the child.",
    },
    {
        "phrase": "inadequate parenting",
        "also_matches": "inadequate parent\ninadequate mother\ninadequate father\ninadequate carer",
        "unless": "",
        "why": "A verdict on the person, not a description of the care the child receives.",
        "instead": "Say which of the child's needs are met and which are not, with examples.",
    },
    {
        "phrase": "unwilling to change",
        "also_matches": "resistant to change\nnot willing to change\nno motivation to change",
        "unless": "",
        "why": "It predicts failure and puts it on the family; whether change happens also depends on the help offered.",
        "instead": "Say what has changed, what has not, what help was offered, and what the family says gets in the way.",
    },
    {
        "phrase": "could not be bothered",
        "also_matches": "can't be bothered\ncouldn't be bothered\ndidn't bother\ndid not bother",
        "unless": "",
        "why": "It guesses at a motive.",
        "instead": "Say what did or did not happen, and what the parent said about it.",
    },
]


def seed(apps, schema_editor):
    Entry = apps.get_model("partnership", "WordingGuideEntry")
    for entry in SEED:
        Entry.objects.get_or_create(phrase=entry["phrase"], defaults=entry)


def unseed(apps, schema_editor):
    Entry = apps.get_model("partnership", "WordingGuideEntry")
    for entry in SEED:
        Entry.objects.filter(**entry).delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0002_wording_guide")]

    operations = [migrations.RunPython(seed, unseed)]
