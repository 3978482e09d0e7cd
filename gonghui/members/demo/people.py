"""Demo people and their memberships, one org at a time, as rows ready for bulk insert.

Every row satisfies what the member services would have written: encrypted ID and phone with their blind
indexes and masked forms, pinyin keys, a card number in the services' format, birth date and gender read
back from the ID number.
"""

import datetime as dt
import random
from itertools import accumulate

from django.utils import timezone

from gonghui.core.identifiers import id_check_character
from gonghui.core.pinyin import name_keys
from gonghui.core.sealed import id_number_columns, phone_columns
from gonghui.members.models import EmploymentForm, Membership

from . import words
from .tree import REFERENCE_DATE, OrgPlan, random_date

PERSON_COLUMNS = (
    "id", "name", "name_pinyin", "name_initials", "gender", "ethnicity", "birth_date", "id_number_enc",
    "id_number_bidx", "id_number_masked", "phone_enc", "phone_bidx", "phone_masked", "education",
    "employment_form", "is_migrant", "employer_id", "job_title", "version", "created_at", "updated_at", "province",
)  # fmt: skip
MEMBERSHIP_COLUMNS = (
    "id", "person_id", "org_id", "card_number", "joined_on", "status", "is_retired", "ended_on", "end_reason",
    "last_active_on", "created_at", "province",
)  # fmt: skip
PHONE_PREFIXES = (
    ("138", 8), ("139", 8), ("137", 6), ("136", 6), ("135", 6), ("134", 3), ("150", 5), ("151", 5), ("152", 4),
    ("157", 2), ("158", 5), ("159", 5), ("182", 3), ("183", 2), ("187", 4), ("188", 3), ("198", 2), ("130", 4),
    ("131", 4), ("132", 3), ("155", 3), ("156", 3), ("185", 3), ("186", 4), ("166", 2), ("176", 2), ("175", 1),
    ("133", 3), ("153", 3), ("180", 3), ("181", 3), ("189", 4), ("177", 2), ("173", 1), ("199", 2), ("191", 1),
)  # fmt: skip
PHONE_STEP, CARD_STEP = 7_654_321, 1_234_567  # coprime with 10**8 and 10**7: counters map to unique numbers
FEMALE_SHARE = {"courier": 0.1, "food_delivery": 0.12, "ride_hailing": 0.06, "truck_driver": 0.03, "domestic": 0.9}
GIG_LABELS = {form.value: form.label for form in EmploymentForm}


def _table(pairs):
    values = [v for v, _ in pairs]
    return values, list(accumulate(w for _, w in pairs))


def last_active_on(membership_id: int, joined: dt.date, today: dt.date) -> dt.date:
    """When the member last paid dues or took part, counted back from the day the demo is loaded (lapse
    warnings run on the real calendar): within three months for nearly everyone, seven months to two years
    for about 3 in 100. Derived from the id, so the seeded sequence of everything else stays as it was."""
    spread = membership_id * 2654435761 % 1000
    days_ago = 210 + spread % 500 if spread < 30 else spread % 90
    return max(joined, today - dt.timedelta(days=days_ago))


class PeopleGenerator:
    """Yields (person row, membership row) tuples; ids are given by the caller's counters."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"gonghui-demo:{seed}:people")
        self.phone_offset = self.rng.randrange(10**8)
        self.card_offset = self.rng.randrange(10**7)
        self.seen_ids: set[int] = set()  # first 17 digits of every ID number given out
        self.card_counters: dict[tuple[str, int], int] = {}
        self.surnames = _table(words.SURNAMES)
        self.phones = _table(PHONE_PREFIXES)
        self.ethnicity_default = _table(words.ETHNICITY_DEFAULT)
        self.ethnicity_by_province = {p: _table(v) for p, v in words.ETHNICITY_BY_PROVINCE.items()}
        self.education = {"company": _table(words.EDUCATION_COMPANY), "gig": _table(words.EDUCATION_GIG)}
        self.employment = {
            "company": _table(words.EMPLOYMENT_COMPANY),
            "resident": _table(words.EMPLOYMENT_RESIDENT),
            "joint": _table(
                (("standard", 60), ("part_time", 15), ("flexible", 15), ("dispatched", 5), ("domestic", 5))
            ),  # fmt: skip
        }
        self.next_person_id = 1
        self.next_membership_id = 1
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)

    def pick(self, table):
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def name(self, gender: str, birth_year: int) -> str:
        rng = self.rng
        surname = self.pick(self.surnames)
        pool = words.MALE_CHARS if gender == "M" else words.FEMALE_CHARS
        first = rng.choice(words.NEUTRAL_CHARS if rng.random() < 0.15 else pool)
        if rng.random() < (0.3 if birth_year < 1980 else 0.12) or len(surname) == 2 and rng.random() < 0.5:
            return surname + first
        if gender == "F" and rng.random() < 0.03:
            return surname + first + first  # 婷婷
        second = rng.choice(pool)
        while second == first:
            second = rng.choice(pool)
        return surname + first + second

    def id_number(self, area: str, gender: str, young: bool) -> tuple[str, dt.date]:
        rng = self.rng
        while True:
            year = min(2005, max(1965, int(rng.gauss(1992 if young else 1986, 8 if young else 10))))
            born = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(366 if year % 4 == 0 else 365))
            seq = rng.randrange(100) * 10 + rng.randrange(5) * 2 + (1 if gender == "M" else 0)
            first17 = f"{area}{born:%Y%m%d}{seq:03d}"
            key = int(first17)
            if key not in self.seen_ids:
                self.seen_ids.add(key)
                return first17 + id_check_character(first17), born

    def phone(self) -> str:
        serial = (self.next_person_id * PHONE_STEP + self.phone_offset) % 10**8
        return f"{self.pick(self.phones)}{serial:08d}"

    def card_number(self, org: OrgPlan, year: int) -> str:
        """Same format as members.services.new_card_number; unique per (area, year) by construction."""
        area = org.region_id[:6].ljust(6, "0")
        k = self.card_counters.get((area, year), 0)
        self.card_counters[(area, year)] = k + 1
        offset = (self.card_offset + int(area) * 7919 + year * 104729) % 10**7
        return f"{area}{year}{(k * CARD_STEP + offset) % 10**7:07d}"

    def members_of(self, org: OrgPlan):
        """The rows of ``org.member_count`` new members of ``org``."""
        rng = self.rng
        kind, form = org.profile
        ethnicity = self.ethnicity_by_province.get(org.province, self.ethnicity_default)
        area = org.county[:6]
        province = org.partition_province()
        gig = kind == "sector"
        education = self.education["gig" if kind in ("sector", "resident") else "company"]
        female_share = FEMALE_SHARE.get(form, 0.45) if gig else 0.45 if kind == "company" else 0.5
        migrant_share = {"company": 0.22, "sector": 0.6, "resident": 0.45, "joint": 0.4}[kind]
        for _ in range(org.member_count):
            gender = "F" if rng.random() < female_share else "M"
            number, born = self.id_number(area, gender, young=gig)
            name = self.name(gender, born.year)
            pinyin, initials = name_keys(name)
            phone = phone_columns(self.phone())
            if gig:
                r = rng.random()
                employment_form = form if r < 0.85 else "online_platform" if r < 0.93 else "flexible"
                job = GIG_LABELS[employment_form] if r < 0.93 else ""
            else:
                employment_form = self.pick(self.employment[kind])
                jobs = words.JOBS_COMPANY if kind != "resident" else words.JOBS_RESIDENT
                job = rng.choice(jobs) if rng.random() < 0.8 else ""
            if org.employers and (kind != "sector" or org.org_type != "sector_federation" or rng.random() < 0.75):
                employer_id = org.employers[0] if len(org.employers) == 1 else rng.choice(org.employers)
            else:
                employer_id = None
            start = max(born.replace(year=born.year + 18) if (born.month, born.day) != (2, 29)
                        else dt.date(born.year + 18, 3, 1), org.founded_on, dt.date(1990, 1, 1))  # fmt: skip
            joined = random_date(rng, start, REFERENCE_DATE)
            retired = kind == "company" and (
                (gender == "F" and born.year <= 1974) or (gender == "M" and born.year <= 1965)
            ) and rng.random() < 0.3  # fmt: skip
            person_id = self.next_person_id
            self.next_person_id += 1
            membership_id = self.next_membership_id
            self.next_membership_id += 1
            yield (
                (person_id, name, pinyin, initials, gender, self.pick(ethnicity), born, *id_number_columns(number),
                 *phone, self.pick(education), employment_form, rng.random() < migrant_share, employer_id, job, 1,
                 self.now, self.now, province),
                (membership_id, person_id, org.id, self.card_number(org, joined.year), joined,
                 Membership.Status.ACTIVE.value, retired, None, "",
                 last_active_on(membership_id, joined, self.today), self.now, province),
            )  # fmt: skip
