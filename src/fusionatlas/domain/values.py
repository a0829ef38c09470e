"""Value types shared by every record: countries, dates, booleans, lists, enums.

Cells arrive as CSV strings, spreadsheet values or JSON values; the parsers here accept all three so
that one model validates every import path.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field

# ISO 3166-1 alpha-2, plus EU for European Union bodies and programmes (docs/data-guide.md).
_ISO_3166 = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV "
    "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET "
    "FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM "
    "IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD "
    "ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST "
    "SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS "
    "YE YT ZA ZM ZW"
)
COUNTRIES: frozenset[str] = frozenset(_ISO_3166.split()) | {"EU"}
# Codes people write that are not ISO 3166-1 alpha-2, with the code they mean.
COUNTRY_HINTS = {"UK": "GB", "EN": "GB", "JA": "JP", "JPN": "JP", "USA": "US", "KO": "KR", "ZH": "CN"}


# The work one request may ask for, the same in the API, the pages and the CLI (docs/api.md).
MAX_TOP = 100  # results of a search, a match or an opportunities list
MAX_SEARCH_QUERY = 1000  # characters of a search query


class Visibility(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"
    PRIVATE = "private"


class OrgKind(StrEnum):
    COMPANY = "company"
    STARTUP = "startup"
    NATIONAL_LAB = "national_lab"
    UNIVERSITY = "university"
    AGENCY = "agency"
    ASSOCIATION = "association"
    CONSORTIUM = "consortium"
    INTERNATIONAL = "international"


class NeedStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # the call ended without an award the sources name
    AWARDED = "awarded"
    CANCELLED = "cancelled"


class FacilityStatus(StrEnum):
    PLANNED = "planned"
    UNDER_CONSTRUCTION = "under_construction"
    OPERATING = "operating"
    SHUTDOWN = "shutdown"
    CANCELLED = "cancelled"


class TrainingKind(StrEnum):
    """What kind of offer forms people for fusion (people.py pages name them in both languages)."""

    DEGREE_COURSE = "degree_course"
    GRADUATE_PROGRAMME = "graduate_programme"
    SUMMER_SCHOOL = "summer_school"
    INTERNSHIP = "internship"
    JOINT_PROGRAMME = "joint_programme"  # e.g. graduate students placed at QST or NIFS by their university
    INTERNATIONAL_SCHOOL = "international_school"
    APPRENTICESHIP = "apprenticeship"


class WorkforceKind(StrEnum):
    """What a published workforce figure counts."""

    EMPLOYED = "employed"  # people working in the field at a date
    NEEDED = "needed"  # people who must join by a year
    TRAINED = "trained"  # people a programme has formed
    STAFFING = "staffing"  # people one plant needs


class FundingDefinition(StrEnum):
    """What a programme's amount counts (docs/data-guide.md). Figures of different definitions are never
    added together: a request is not money granted, a multi-year package is not a year's budget."""

    APPROPRIATION = "appropriation"  # enacted budget for one fiscal year (initial or supplementary)
    REQUEST = "request"  # the government's request or draft budget for one fiscal year, not yet enacted
    PROPOSAL = "proposal"  # a legislative mark or a proposed plan, adopted by nobody yet
    MULTI_YEAR = "multi_year"  # a package or commitment spread over several years
    IN_KIND = "in_kind"  # contributions in kind (components, staff, facilities) rather than money
    AWARD = "award"  # competitive funding announced or awarded (a call's total, awards to companies)
    NO_AMOUNT = "no_amount"  # a programme or strategy that states no figure


class MilestoneStatus(StrEnum):
    ACHIEVED = "achieved"
    PLANNED = "planned"
    DELAYED = "delayed"
    CANCELLED = "cancelled"


_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}


def parse_bool(value: Any) -> Any:
    """Booleans are true/false; imports also take 1/0/yes/no in any case; blank is false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{value!r} is not a boolean (use true/false, yes/no or 1/0)")


def parse_list(value: Any) -> Any:
    """Lists inside a cell are separated by ';'. JSON arrays arrive as lists already."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def parse_country(value: Any) -> Any:
    """An ISO 3166-1 alpha-2 code (or EU) in upper case; blank is None. The one country check: imports,
    the CLI, the API and the pages all ask this, so all give the same error."""
    value = blank_to_none(value)
    if value is None:
        return None
    code = str(value).upper()
    if code in COUNTRIES:
        return code
    hint = COUNTRY_HINTS.get(code)
    suffix = f" (use {hint})" if hint else ""
    raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code{suffix}")


def parse_org_kind(value: Any) -> str | None:
    """An organization kind (OrgKind); blank is None. The one kind check, as parse_country is for countries."""
    value = blank_to_none(value)
    if value is None:
        return None
    text = str(value)
    if text in OrgKind._value2member_map_:
        return text
    raise ValueError(f"{value!r} is not an organization kind (one of: {', '.join(k.value for k in OrgKind)})")


# Control characters (C0, DEL, C1) except tab, line feed and carriage return, and lone surrogates: PostgreSQL
# cannot store NUL or a surrogate, and none of them belongs in a record or a query.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def control_character_at(text: str) -> tuple[str, int] | None:
    """The first control character in `text` as ("U+0000", its position from 1), or None."""
    found = _CONTROL.search(text)
    return None if found is None else (f"U+{ord(found.group()):04X}", found.start() + 1)


def control_character(text: str) -> str | None:
    """A description of the first control character in `text` ("U+0000 at position 5"), or None."""
    found = control_character_at(text)
    return None if found is None else f"{found[0]} at position {found[1]}"


def check_text(value: Any) -> Any:
    """Text without control characters (tab, newline and carriage return are allowed)."""
    if isinstance(value, str):
        where = control_character(value)
        if where:
            raise ValueError(f"contains a control character ({where}): remove it")
    return value


def check_texts(values: Any) -> Any:
    if isinstance(values, list):
        for value in values:
            check_text(value)
    return values


WEB_SCHEMES = ("http", "https")


def web_url(value: str | None) -> str | None:
    """The address if it is an http(s) URL with a host and no spaces or control characters, else None."""
    if not value or not isinstance(value, str) or control_character(value) or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


def check_web_url(value: Any) -> Any:
    """A link field accepts http:// and https:// addresses only (never javascript:, data:, file:...)."""
    if value is not None and web_url(value) is None:
        raise ValueError(f"{value!r} is not a web address: only http:// and https:// links are accepted")
    return value


def check_finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return value


# The store's integer columns: BIGINT for money (a programme's or round's amount, a need's value), INTEGER
# (32-bit) for every other number. The same set as store/schema.py's (tests/domain/test_boundary.py checks).
BIG_INT_FIELDS = frozenset({"amount", "value"})
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def int_range(field: str) -> tuple[int, int]:
    return INT64 if field in BIG_INT_FIELDS else INT32


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WESTERN_FY = re.compile(r"^(?:FY\s*(\d{4})|(\d{4})\s*年度)$", re.IGNORECASE)
_ERA_FY = re.compile(r"^(令和|平成|R|H)\s*(\d{1,2}|元)\s*(?:年度)?$", re.IGNORECASE)
_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988}


def fiscal_year(text: str) -> int | None:
    """The calendar year a Japanese fiscal year starts in (FY2023 = 2023-04 to 2024-03), or None."""
    text = text.strip()
    western = _WESTERN_FY.match(text)
    if western:
        return int(western.group(1) or western.group(2))
    era = _ERA_FY.match(text)
    if era:
        number = 1 if era.group(2) == "元" else int(era.group(2))
        return _ERA_START[era.group(1).upper() if era.group(1) in ("r", "h") else era.group(1)] + number
    return None


def check_iso_date(text: str) -> str:
    match = _ISO_DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if day is not None:
        days = [
            31,
            29 if int(year) % 4 == 0 and (int(year) % 100 or int(year) % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][int(month) - 1]
        if not 1 <= int(day) <= days:
            raise ValueError(f"{text!r} has no day {day}")
    return text


def earliest_day(date: str) -> str:
    """The first day a partial ISO date can mean (2024 -> 2024-01-01), for comparing dates of any precision."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


def latest_day(date: str) -> str:
    """The last day a partial ISO date can mean (2024-02 -> 2024-02-31: later than any real day of it)."""
    return (date + "-12-31")[:10] if len(date) == 4 else (date + "-31")[:10]


def need_status(status: str | None, deadline: str | None, today: str) -> str:
    """A need's status as of `today` (ISO date): an open need whose deadline has passed is closed, without
    anyone having to touch it."""
    status = status or NeedStatus.OPEN
    if status == NeedStatus.OPEN and deadline and latest_day(deadline) < today:
        return NeedStatus.CLOSED
    return status


def parse_date(value: Any) -> Any:
    """ISO 8601 dates, full or partial. Spreadsheet dates arrive as datetime objects."""
    value = blank_to_none(value)
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, int):
        value = str(value)
    return check_iso_date(str(value))


def upper_currency(value: Any) -> Any:
    value = blank_to_none(value)
    if value is None:
        return None
    code = str(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


Text = Annotated[str, BeforeValidator(blank_to_none), AfterValidator(check_text)]
OptText = Annotated[str | None, BeforeValidator(blank_to_none), AfterValidator(check_text)]
WebUrl = Annotated[str | None, BeforeValidator(blank_to_none), AfterValidator(check_web_url)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
IdList = Annotated[list[str], BeforeValidator(parse_list), AfterValidator(check_texts)]
Country = Annotated[str, BeforeValidator(parse_country)]
OptCountry = Annotated[str | None, BeforeValidator(parse_country)]
IsoDate = Annotated[str | None, BeforeValidator(parse_date)]
Currency = Annotated[str | None, BeforeValidator(upper_currency)]
OptInt = Annotated[Annotated[int, Field(ge=INT32[0], le=INT32[1])] | None, BeforeValidator(blank_to_none)]
Finite = Annotated[float, AfterValidator(check_finite)]
OptFloat = Annotated[Finite | None, BeforeValidator(blank_to_none)]
