"""Vocabularies for placements, mapped to the Individualised Learner Record where it has a code."""

from django.db import models


class Status(models.TextChoices):
    WAITING_TO_START = "waiting_to_start", "Waiting to start"
    IN_LEARNING = "in_learning", "In learning"
    BREAK_IN_LEARNING = "break_in_learning", "Break in learning"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# ILR CompStatus → our status (waiting to start has no ILR code: no learning has begun).
ILR_COMP_STATUS = {
    "1": Status.IN_LEARNING,
    "2": Status.COMPLETED,
    "3": Status.WITHDRAWN,
    "6": Status.BREAK_IN_LEARNING,
}

ENDED_STATUSES = frozenset({Status.COMPLETED, Status.WITHDRAWN})
OPEN_STATUSES = frozenset({Status.WAITING_TO_START, Status.IN_LEARNING, Status.BREAK_IN_LEARNING})
# Retained = still learning or finished: retention's numerator (docs/architecture.md).
RETAINED_STATUSES = frozenset({Status.IN_LEARNING, Status.BREAK_IN_LEARNING, Status.COMPLETED})


class WithdrawalReason(models.TextChoices):
    """Borough systems' words; `ILR_WITHDRAW_REASON` maps each to the ILR's WithdrawReason code."""

    CHANGED_PROVIDER = "changed_provider", "Changed training provider"
    CONTRACT_ENDED = "contract_ended", "Contract ended"
    DISMISSED = "dismissed", "Dismissed"
    PERSONAL = "personal", "Personal reason"
    FINANCIAL = "financial", "Financial reasons"
    DISSATISFIED = "dissatisfied", "Dissatisfied with the programme"
    REDUNDANCY = "redundancy", "Made redundant"
    RESIGNED = "resigned", "Resigned"
    SICKNESS = "sickness", "Injury or illness"
    PROVIDER_AT_FAULT = "provider_at_fault", "Training provider at fault"
    WORK_DEMANDS = "work_demands", "Work demands"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


ILR_WITHDRAW_REASON = {
    WithdrawalReason.CHANGED_PROVIDER: "2",
    WithdrawalReason.SICKNESS: "3",
    WithdrawalReason.REDUNDANCY: "29",
    WithdrawalReason.FINANCIAL: "43",
    WithdrawalReason.PERSONAL: "44",
    WithdrawalReason.CONTRACT_ENDED: "97",
    WithdrawalReason.DISMISSED: "97",
    WithdrawalReason.DISSATISFIED: "97",
    WithdrawalReason.RESIGNED: "97",
    WithdrawalReason.PROVIDER_AT_FAULT: "97",
    WithdrawalReason.WORK_DEMANDS: "97",
    WithdrawalReason.OTHER: "97",
    WithdrawalReason.UNKNOWN: "98",
}


class Outcome(models.TextChoices):
    """End-point assessment result (ILR Outcome 1 achieved, 3 no achievement, 8 not yet known)."""

    DISTINCTION = "distinction", "Distinction"
    MERIT = "merit", "Merit"
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known (awaiting end-point assessment)"


class Destination(models.TextChoices):
    """What the apprentice went on to do (Hackney's progression vocabulary)."""

    COUNCIL_JOB = "council_job", "Permanent job at the council"
    PROMOTION = "promotion", "Promotion at the council"
    FURTHER_APPRENTICESHIP = "further_apprenticeship", "Further apprenticeship at the council"
    EXTERNAL_JOB = "external_job", "Job or apprenticeship elsewhere"
    EXTERNAL_PROMOTION = "external_promotion", "Promotion elsewhere"
    HIGHER_EDUCATION = "higher_education", "Higher education"
    NO_COUNCIL_JOB = "no_council_job", "No job at the council"
    LEAVER = "leaver", "Left"
    NEET = "neet", "Not in education, employment or training"
    UNKNOWN = "unknown", "Not known"


class PlannedEndChangeReason(models.TextChoices):
    """Why a placement's planned end date moved (kept with the change, never overwritten)."""

    BREAK = "break", "Return from a break in learning"
    EXTENSION = "extension", "Extension agreed with the training provider"
    EARLY = "early", "Finishing earlier than planned"
    CORRECTION = "correction", "Correcting a mistake"
    OTHER = "other", "Other"


class BreakReason(models.TextChoices):
    HEALTH = "health", "Health"
    CARING = "caring", "Caring responsibilities"
    PARENTAL_LEAVE = "parental_leave", "Parental leave"
    WORK = "work", "Work demands"
    PROVIDER = "provider", "Training provider issue"
    OTHER = "other", "Other"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class EthnicGroup(models.TextChoices):
    """The ONS five high-level ethnic groups."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"
