"""Subject access export and anonymisation after retention (docs/data-protection.md)."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apprenticeships.choices import Disability, EthnicGroup, Sex, Status, WithdrawalReason
from apprenticeships.data_protection import (
    age_reference_dates,
    anonymise_expired,
    coarse_date_of_birth,
    export_apprentice,
)
from apprenticeships.factories import (
    ApprenticeFactory,
    PlacementFactory,
    RecruitmentTargetFactory,
    StandardFactory,
)
from apprenticeships.models import Apprentice, EqualityMonitoring, Placement

CUTOFF = datetime.date(2022, 1, 1)
D = datetime.date


def ended(apprentice, borough, *, start, end, status=Status.COMPLETED, **kwargs):
    extra = {"withdrawal_reason": WithdrawalReason.OTHER} if status == Status.WITHDRAWN else {}
    return PlacementFactory(
        apprentice=apprentice,
        borough=borough,
        start_date=start,
        planned_end_date=start + datetime.timedelta(days=548),
        status=status,
        actual_end_date=end,
        **extra,
        **kwargs,
    )


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    return "16-18" if age <= 18 else "19-24" if age <= 24 else "25+"


def aggregate_figures() -> dict:
    """The figures the dashboard and exports are built from, in every breakdown it offers."""
    placements = Placement.objects.select_related("apprentice")
    return {
        "by_borough_status_standard": sorted(
            Placement.objects.values("borough_id", "status", "standard_id")
            .annotate(n=Count("pk"))
            .values_list("borough_id", "status", "standard_id", "n")
        ),
        "people": Apprentice.objects.count(),
        "recruits": Placement.objects.started().values("apprentice").distinct().count(),
        "age_at_start": sorted((p.pk, p.apprentice.age_on(p.start_date)) for p in placements),
        # What the dashboard reads: the database works it out again from the coarser date.
        "stored_age_at_start": sorted(Placement.objects.values_list("pk", "age_at_start")),
        "age_band_at_start": sorted(
            Count_by(age_band(p.apprentice.age_on(p.start_date)) for p in placements).items()
        ),
        "equality": sorted(
            EqualityMonitoring.objects.values("sex", "ethnic_group", "disability")
            .annotate(n=Count("pk"))
            .values_list("sex", "ethnic_group", "disability", "n")
        ),
    }


def Count_by(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


@pytest.fixture
def people(hackney, camden):
    """Five apprentices: three expired (one with two placements), two still held."""
    standard = StandardFactory()
    # Birthday a week after the start, in the same month: 1 July or the 1st would change the age.
    expired_a = ApprenticeFactory(date_of_birth=D(2001, 9, 9))
    ended(expired_a, hackney, start=D(2019, 9, 2), end=D(2021, 3, 1), standard=standard)
    ended(expired_a, camden, start=D(2021, 4, 1), end=D(2021, 11, 30), status=Status.WITHDRAWN)
    EqualityMonitoring.objects.create(
        apprentice=expired_a, sex=Sex.FEMALE, ethnic_group=EthnicGroup.values[1]
    )
    expired_b = ApprenticeFactory(date_of_birth=D(1995, 2, 28))
    ended(expired_b, hackney, start=D(2018, 9, 3), end=D(2020, 2, 1), standard=standard)
    expired_c = ApprenticeFactory(date_of_birth=None, uln="", email="")
    ended(expired_c, camden, start=D(2019, 1, 7), end=D(2020, 6, 30), standard=standard)
    ends_after = ApprenticeFactory(date_of_birth=D(2000, 1, 1))
    ended(ends_after, hackney, start=D(2020, 9, 1), end=D(2022, 3, 1))
    still_learning = ApprenticeFactory(date_of_birth=D(1999, 12, 31))
    ended(still_learning, hackney, start=D(2019, 1, 7), end=D(2020, 1, 1))
    PlacementFactory(apprentice=still_learning, borough=camden, start_date=D(2021, 1, 4))
    EqualityMonitoring.objects.create(apprentice=still_learning, disability=Disability.values[0])
    RecruitmentTargetFactory(boroughs=[hackney, camden])
    return {
        "expired": [expired_a, expired_b, expired_c],
        "kept": [ends_after, still_learning],
    }


pytestmark = pytest.mark.django_db


def test_only_people_whose_placements_all_ended_before_the_date_are_anonymised(people):
    done = anonymise_expired(ended_before=CUTOFF)

    assert [r.apprentice_id for r in done] == [a.pk for a in people["expired"]]
    for apprentice in people["expired"]:
        apprentice.refresh_from_db()
        assert apprentice.full_name == "Anonymised apprentice"
        assert (apprentice.email, apprentice.uln) == ("", "")
        assert apprentice.anonymised_at is not None
    for apprentice in people["kept"]:
        before = apprentice.full_name
        apprentice.refresh_from_db()
        assert apprentice.full_name == before
        assert apprentice.anonymised_at is None


def test_no_history_row_keeps_the_old_personal_data(people):
    expired = people["expired"][0]
    expired.given_name = "Renamed"
    expired.save()  # a second history row with personal data in it
    originals = {"Renamed", expired.family_name, expired.email, expired.uln}

    anonymise_expired(ended_before=CUTOFF)

    rows = list(Apprentice.history.filter(id=expired.pk).order_by("history_date").values())
    assert len(rows) == 3
    for row in rows:
        assert not originals & {row["given_name"], row["family_name"], row["email"], row["uln"]}
        assert row["date_of_birth"] != D(2001, 9, 9)
    assert rows[-1]["history_change_reason"] == "Anonymised after the retention period"


def test_every_aggregate_figure_is_unchanged(people):
    before = aggregate_figures()

    anonymise_expired(ended_before=CUTOFF)

    assert aggregate_figures() == before


def test_equality_monitoring_is_kept_for_london_wide_figures(people):
    anonymise_expired(ended_before=CUTOFF)

    kept = EqualityMonitoring.objects.get(apprentice=people["expired"][0])
    assert kept.sex == Sex.FEMALE


def test_date_of_birth_becomes_coarse_but_keeps_the_ages(people):
    anonymise_expired(ended_before=CUTOFF)

    b = Apprentice.objects.get(pk=people["expired"][1].pk)
    assert b.date_of_birth == D(1995, 7, 1)  # only the year is left
    a = Apprentice.objects.get(pk=people["expired"][0].pk)
    assert a.date_of_birth != D(2001, 9, 9)
    assert a.age_on(D(2019, 9, 2)) == 17
    assert Apprentice.objects.get(pk=people["expired"][2].pk).date_of_birth is None


@given(
    born=st.dates(min_value=D(1950, 1, 1), max_value=D(2008, 12, 31)),
    offsets=st.lists(st.integers(min_value=16 * 366, max_value=60 * 365), min_size=1, max_size=4),
)
def test_coarse_date_of_birth_keeps_the_age_on_every_reference_date(born, offsets):
    starts = [born + datetime.timedelta(days=days) for days in offsets]
    days = age_reference_dates(starts)

    coarse = coarse_date_of_birth(born, days)

    assert coarse.year == born.year
    for day in days:
        assert Apprentice(date_of_birth=coarse).age_on(day) == Apprentice(
            date_of_birth=born
        ).age_on(day)


def test_dry_run_changes_nothing_and_says_what_it_would_do(people):
    out = StringIO()

    call_command("anonymise_expired", "--ended-before", "2022-01-01", "--dry-run", stdout=out)

    assert not Apprentice.objects.filter(anonymised_at__isnull=False).exists()
    text = out.getvalue()
    assert f"Would anonymise apprentice {people['expired'][0].pk}: 2 placement(s)" in text
    assert "Would anonymise 3 apprentice(s)" in text
    assert "Dry run: nothing was changed." in text


def test_command_prints_ids_only_and_a_second_run_finds_nobody(people):
    names = [a.family_name for a in people["expired"]]
    out = StringIO()

    call_command("anonymise_expired", "--ended-before", "2022-01-01", stdout=out)
    again = StringIO()
    call_command("anonymise_expired", "--ended-before", "2022-01-01", stdout=again)

    assert "Anonymised 3 apprentice(s)" in out.getvalue()
    assert not any(name in out.getvalue() for name in names)
    assert "Anonymised 0 apprentice(s)" in again.getvalue()


@pytest.mark.parametrize(
    ("value", "message"),
    [("31/12/2021", "a date like 2020-08-31"), ("2999-01-01", "cannot be in the future")],
)
def test_command_rejects_a_bad_date(value, message, people):
    with pytest.raises(CommandError, match=message):
        call_command("anonymise_expired", "--ended-before", value)
    assert not Apprentice.objects.filter(anonymised_at__isnull=False).exists()


def test_export_holds_everything_including_history(people):
    person = people["expired"][0]
    person.email = "new.address@example.org"
    person.save()

    data = export_apprentice(apprentice=person)

    assert data["apprentice"]["given_name"] == person.given_name
    assert data["apprentice"]["email"] == "new.address@example.org"
    assert [row["change"] for row in data["history"]] == ["created", "changed"]
    assert data["history"][0]["email"] != "new.address@example.org"
    assert data["equality_monitoring"]["sex"] == "Female"
    assert [p["borough"] for p in data["placements"]] == ["Hackney", "Camden"]
    assert data["placements"][1]["status"] == Status.WITHDRAWN
    assert data["placements"][0]["history"][0]["change"] == "created"


def test_export_holds_the_changes_of_circumstance_and_link_requests(people, hackney):
    from apprenticeships.models import BreakInLearning, LinkRequest

    person = people["kept"][1]
    placement = person.placements.order_by("pk").first()
    BreakInLearning.objects.create(
        placement=placement, started_on=D(2019, 3, 4), reason="health", returned_on=D(2019, 4, 1)
    )
    LinkRequest.objects.create(
        provisional=person, held=people["kept"][0], borough=hackney, matched_on="ULN",
        entered={"given_name": person.given_name},
    )  # fmt: skip
    data = export_apprentice(apprentice=person)
    first = data["placements"][0]
    assert first["breaks_in_learning"] == [
        {"started_on": D(2019, 3, 4), "reason": "health", "returned_on": D(2019, 4, 1)}
    ]
    assert data["link_requests"][0]["entered"] == {"given_name": person.given_name}


def test_export_command_writes_json_found_by_uln_email_or_id(people, tmp_path):
    person = people["kept"][0]
    for args in (["--uln", person.uln], ["--email", person.email.upper()], ["--id", person.pk]):
        out = StringIO()
        call_command("export_apprentice_data", *args, stdout=out)
        assert json.loads(out.getvalue())["apprentice"]["id"] == person.pk

    target = tmp_path / "sar.json"
    call_command("export_apprentice_data", "--id", person.pk, "--output", target, stdout=StringIO())
    assert json.loads(target.read_text())["apprentice"]["family_name"] == person.family_name


def test_export_command_refuses_unknown_people_and_the_shared_temporary_uln(people):
    with pytest.raises(CommandError, match="No apprentice matches"):
        call_command("export_apprentice_data", "--email", "nobody@example.org")
    with pytest.raises(CommandError, match="temporary ULN"):
        call_command("export_apprentice_data", "--uln", "9999999999")


DASHBOARD_TABLES = ["months", "boroughs", "standards", "providers", "age-bands", "outcomes"]


def dashboard_as_published(client) -> list[bytes]:
    """The dashboard page, its JSON feed and its CSVs, as LOTI staff see them."""
    pages = [client.get(reverse("dashboard:index")), client.get(reverse("dashboard:progress_json"))]
    pages += [client.get(reverse("dashboard:export", args=[t])) for t in DASHBOARD_TABLES]
    assert all(page.status_code == 200 for page in pages)
    # The sign-out form's CSRF token is masked afresh on every page.
    return [re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", p.content) for p in pages]


def test_dashboard_figures_are_identical_before_and_after_anonymising(
    people, client, loti_analyst, hackney, camden
):
    RecruitmentTargetFactory(
        opens_on=D(2019, 1, 1), closes_on=D(2030, 12, 31), boroughs=[hackney, camden]
    )
    client.force_login(loti_analyst)
    before = dashboard_as_published(client)
    assert anonymise_expired(ended_before=CUTOFF)
    assert dashboard_as_published(client) == before


def test_anonymising_empties_old_import_files_and_the_admin_log_names(people, hackney, admin_user):
    """Found in review: uploaded spreadsheets and their row reports outlived anonymisation."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from apprenticeships.imports.models import ImportRun

    person = Apprentice.objects.filter(placements__actual_end_date__lt=CUTOFF).first()
    old = ImportRun.objects.create(
        borough=hackney, file_name="old.csv", content=b"Grace,Hopper", report={"rows": ["Hopper"]}
    )
    ImportRun.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC)
    )
    recent = ImportRun.objects.create(borough=hackney, file_name="new.csv", content=b"x")
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(Apprentice),
        object_id=str(person.pk),
        object_repr=person.full_name,
        action_flag=CHANGE,
    )

    anonymise_expired(ended_before=CUTOFF)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (bytes(old.content), old.report, old.file_name) == (b"", {}, "old.csv")
    assert bytes(recent.content) == b"x"
    assert LogEntry.objects.get().object_repr == "Anonymised apprentice"


def test_anonymising_empties_the_evidence_of_a_link_request(people, hackney):
    """A link request keeps what a borough entered about a person: it goes with them."""
    from apprenticeships.models import LinkRequest

    expired, kept = people["expired"][0], people["kept"][0]
    gone = LinkRequest.objects.create(
        provisional=kept, held=expired, borough=hackney, matched_on="ULN",
        entered={"given_name": "Grace", "uln": expired.uln},
    )  # fmt: skip
    stays = LinkRequest.objects.create(
        provisional=people["kept"][1], held=kept, borough=hackney, matched_on="ULN",
        entered={"given_name": "Ada"},
    )  # fmt: skip
    anonymise_expired(ended_before=CUTOFF)
    gone.refresh_from_db()
    stays.refresh_from_db()
    assert (gone.entered, stays.entered) == ({}, {"given_name": "Ada"})
