"""London's 33 local authorities and which portal users work for which of them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

# ONS GSS codes for London's authorities: E09 followed by six digits (E09000001–E09000033).
GSS_CODE_PATTERN = r"^E09[0-9]{6}$"
validate_gss_code = RegexValidator(
    GSS_CODE_PATTERN,
    "Enter a London GSS code: E09 followed by six digits, like E09000012.",
)


class BoroughQuerySet(models.QuerySet):
    def for_user(self, user) -> "BoroughQuerySet":
        """The boroughs whose records this user may work on (all of them for LOTI and admins)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_borough_hr:
            return self.filter(memberships__user=user)
        return self.all()

    def loti_members(self) -> "BoroughQuerySet":
        return self.filter(is_loti_member=True)


# Inner London as the ONS defines it for statistics (GSS codes); every other authority is Outer
# London. Used to group the 33 authorities where they are listed for choosing.
INNER_LONDON = frozenset(
    {
        "E09000001",  # City of London
        "E09000007",  # Camden
        "E09000012",  # Hackney
        "E09000013",  # Hammersmith and Fulham
        "E09000014",  # Haringey
        "E09000019",  # Islington
        "E09000020",  # Kensington and Chelsea
        "E09000022",  # Lambeth
        "E09000023",  # Lewisham
        "E09000025",  # Newham
        "E09000028",  # Southwark
        "E09000030",  # Tower Hamlets
        "E09000032",  # Wandsworth
        "E09000033",  # Westminster
    }
)


class Borough(models.Model):
    class Kind(models.TextChoices):
        BOROUGH = "borough", "London borough"
        ROYAL_BOROUGH = "royal borough", "Royal borough"
        CITY = "city", "City"

    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[validate_gss_code]
    )
    name = models.CharField(max_length=100, unique=True)
    official_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BOROUGH)
    is_loti_member = models.BooleanField("LOTI member", default=False)
    loti_joined_on = models.DateField("joined LOTI on", null=True, blank=True)
    membership_is_demo = models.BooleanField(
        "membership is demo data",
        default=False,
        help_text="Set by load_demo_data: this borough's LOTI membership is illustrative only.",
    )
    headcount = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Employees, for the public-sector target (starts of 2.3% of headcount a year).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = BoroughQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gss_code__regex=GSS_CODE_PATTERN),
                name="borough_gss_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(loti_joined_on__isnull=True) | models.Q(is_loti_member=True),
                name="borough_joined_only_if_member",
            ),
            models.CheckConstraint(
                condition=models.Q(headcount__isnull=True) | models.Q(headcount__gt=0),
                name="borough_headcount_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sub_region(self) -> str:
        return "Inner London" if self.gss_code in INNER_LONDON else "Outer London"

    def clean(self) -> None:
        if self.loti_joined_on and not self.is_loti_member:
            raise ValidationError(
                {"loti_joined_on": "Only a LOTI member borough can have a date it joined LOTI."}
            )
        if self.headcount == 0:
            raise ValidationError({"headcount": "Headcount must be at least 1, or left blank."})


class Membership(models.Model):
    """A user working for a borough; boroughs sharing an HR service give a user several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["borough__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "borough"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.borough}"
