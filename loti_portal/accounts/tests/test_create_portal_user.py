import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from loti_portal.accounts.models import Role, User

PASSWORD = "a sufficiently long passphrase"


def create(*args, password: str = PASSWORD, monkeypatch) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_portal_user", *args, "--password-stdin", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_creates_an_hr_user_for_two_boroughs(hackney, camden, monkeypatch):
    output = create(
        "HR@Example.org", "--role", "borough_hr", "--borough", "E09000012", "--borough",
        "E09000007", monkeypatch=monkeypatch,
    )  # fmt: skip
    user = User.objects.get(email="hr@example.org")
    assert user.role == Role.BOROUGH_HR
    assert sorted(m.borough.name for m in user.memberships.all()) == ["Camden", "Hackney"]
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert "Camden, Hackney" in output


@pytest.mark.django_db
def test_admin_gets_the_admin_site_and_an_authenticator(monkeypatch):
    output = create("it@loti.example", "--role", "admin", monkeypatch=monkeypatch)
    user = User.objects.get()
    assert user.is_staff and user.is_superuser
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device.config_url in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "borough_hr", "--borough", "E09000099"], "Unknown GSS code(s): E09000099."),
        (["--role", "borough_hr"], "needs at least one --borough"),
        (["--role", "loti_staff", "--borough", "E09000012"], "Only borough HR users"),
    ],
)
def test_refuses_bad_arguments_and_writes_nothing(hackney, args, message, monkeypatch):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create("x@example.org", *args, monkeypatch=monkeypatch)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_refuses_an_unknown_role_with_usage_exit_code(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command_from_argv(["create_portal_user", "x@example.org", "--role", "boss"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err
    assert not User.objects.exists()


@pytest.mark.django_db
def test_refuses_a_weak_password(monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        create("x@example.org", "--role", "loti_staff", password="short", monkeypatch=monkeypatch)


@pytest.mark.django_db
def test_refuses_a_second_user_with_the_same_email(monkeypatch):
    create("x@example.org", "--role", "loti_staff", monkeypatch=monkeypatch)
    with pytest.raises(CommandError, match="already exists"):
        create("X@example.org", "--role", "loti_staff", monkeypatch=monkeypatch)


def call_command_from_argv(argv: list[str]) -> None:
    from django.core.management import ManagementUtility

    ManagementUtility(["manage.py", *argv]).execute()
