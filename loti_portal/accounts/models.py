"""Portal users: email is the sign-in name; each user has one role (docs/architecture.md)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class Role(models.TextChoices):
    BOROUGH_HR = "borough_hr", "Borough HR"
    LOTI_STAFF = "loti_staff", "LOTI staff"
    ADMIN = "admin", "Portal admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Sign-in is case-insensitive on email.
        return self.get(email__iexact=username)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOROUGH_HR)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_known"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_borough_hr(self) -> bool:
        return self.role == Role.BOROUGH_HR and not self.is_superuser

    @property
    def is_loti_staff(self) -> bool:
        return self.role == Role.LOTI_STAFF and not self.is_superuser

    @property
    def is_portal_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def may_see_personal_data(self) -> bool:
        """LOTI staff see aggregates only; HR see their boroughs' people; admins see everyone."""
        return self.is_portal_admin or self.is_borough_hr


class PasswordResetRequest(models.Model):
    """One request for a password-reset email, kept for the rate limit's window (reset_limits.py).

    The email typed is kept only as a keyed hash (HMAC with the secret key): enough to count the
    requests made for it, never a list of the addresses people typed, held or not.
    """

    email_digest = models.CharField(max_length=64)
    ip_address = models.CharField(max_length=64)
    requested_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "requested_at"], name="reset_request_email_idx"),
            models.Index(fields=["ip_address", "requested_at"], name="reset_request_address_idx"),
            models.Index(fields=["requested_at"], name="reset_request_time_idx"),
        ]

    def __str__(self) -> str:
        return f"Password reset request at {self.requested_at:%Y-%m-%d %H:%M}"


class LimitedAction(models.Model):
    """One use of an action limited per user and hour (loti_portal/ratelimit.py).

    A row per use rather than a counter in the cache: the count over the last hour is exact and
    the same for every worker, and the rows show an administrator who was stopped, and when.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "name", "at"])]

    def __str__(self) -> str:
        return f"{self.name} by user {self.user_id} at {self.at:%d/%m/%Y %H:%M}"
