"""Needs for the needs pages' tests: every status, a need past its deadline still recorded open, figures,
an awardee the public may not see, a members-only need and a need of a private buyer.

The public needs restate facts of the bundled atlas on the fixture's organizations; the members-only and
private records are test-only (their words appear in no public record, so a leak is caught by searching
for them).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine, update

from fusionatlas.dataset.package import load_package
from fusionatlas.store.schema import TABLES_BY_NAME
from tests.fixtures import ORGANIZATIONS, SOURCES, write_package

NEED_COLUMNS = (
    "id,title_en,title_ja,description_en,description_ja,buyer_org_id,technology_ids,min_trl,countries,quantity,"
    "quantity_unit,value,currency,published,deadline,delivery_start,delivery_end,status,awardee_org_ids,"
    "visibility,source_ids,unconfirmed"
)
# Test-only: a private organization (only editors and its own users may see it) and a source whose
# address must never become a link.
PRIVATE_ORG = (
    "org:private-buyer,Hidden Procurement Office,非公開調達室,agency,GB,,,,,Test-only private buyer.,"
    "テスト用の非公開の発注者。,private,,true\n"
)
BAD_SOURCE = "src:bad-link,Notice with a script address,Test,2024,https://example.org/notice,2026-11-28,en\n"
SCRIPT_URL = "javascript:alert(1)"  # written over BAD_SOURCE's address after loading: imports refuse it
SECRET = "Zircaloy bellows"  # words only the members-only need holds

NEEDS_CSV = (
    NEED_COLUMNS
    + "\n"
    # Open, deadline in 2030: open today.
    + "need:iter-gyrotron,170 GHz gyrotrons,170 GHzジャイロトロン,1 MW gyrotrons for ECRH.,ECRH用1 MWジャイロトロン。,"
    "org:iter-organization,tech:hcd.gyrotron,7,JP;FR,24,gyrotrons,,,2024-02,2030,,,open,,public,src:iter-gyrotron,false\n"
    # Recorded open, deadline 2020-01-31: closed today.
     + "need:qst-hts-tape-2019,HTS tape for test coils,試験コイル用高温超伝導線材,REBCO tape for model coils.,"
    "モデルコイル用REBCO線材。,org:qst,tech:magnet.hts,,,,,,,2019-11-01,2020-01-31,,,open,,public,"
    "src:qst-jt60sa;src:bad-link,false\n"
    # Open, deadline 2031-06: open today, after the gyrotrons (later deadline).
     + "need:qst-magnet-2031,Superconducting magnet study,超伝導マグネットの検討,A design study of magnets.,"
    "マグネットの設計検討。,org:qst,tech:magnet,,,,,1234567,USD,2026-10,2031-06,,,open,,public,src:qst-jt60sa,false\n"
    # Awarded, with figures and a members-only awardee that the public must not see.
     + "need:qst-rebco-award-2025,REBCO tape supply,REBCO線材の調達,Twenty kilometres of REBCO tape.,"
    "REBCO線材20 km。,org:qst,tech:magnet.hts,,,20,km of REBCO tape,3500000000,JPY,2025-04,,2025-06,2026-03,"
    "awarded,org:fujikura;org:members-only-co,public,src:fujikura-hts,false\n"
    # Cancelled, deadline 2024.
    + "need:iter-hcd-2024,Heating study (cancelled),加熱の検討(中止),A cancelled heating study.,中止された加熱の検討。,"
    "org:iter-organization,tech:hcd,,,,,,,2023,2024,,,cancelled,,public,src:iter-gyrotron,false\n"
    # Test-only: members-only, and a public need of a private buyer.
     + f"need:members-bellows,{SECRET} for members,会員向けジルカロイベローズ,Members-only call.,会員限定の募集。,"
    "org:qst,tech:magnet,,,,,,,2026-01,2029,,,open,,members,,true\n"
    + "need:private-buyer-call,Hidden office magnet call,非公開調達室のマグネット募集,A private buyer's call.,"
    "非公開の発注者の募集。,org:private-buyer,tech:magnet,,,,,,,2026-01,2029,,,open,,public,,true\n"
)
PUBLIC_NEEDS = [
    "need:iter-gyrotron",
    "need:qst-magnet-2031",
    "need:iter-hcd-2024",
    "need:qst-hts-tape-2019",
    "need:qst-rebco-award-2025",
]  # in the list's order: open ones nearest deadline first, then the others latest deadline first (none last)
HIDDEN_NEEDS = ["need:members-bellows", "need:private-buyer-call"]
OVERRIDES = {
    "needs_csv": NEEDS_CSV,
    "organizations_csv": ORGANIZATIONS + PRIVATE_ORG,
    "sources_csv": SOURCES + BAD_SOURCE,
}


def load_needs(engine: Engine) -> None:
    """The fixture package with these needs, loaded into `engine` (a template of tests/conftest.py)."""
    with tempfile.TemporaryDirectory() as folder:
        load_package(engine, write_package(Path(folder), **OVERRIDES))
    # As an old database might hold it: a script address that imports now refuse.
    sources = TABLES_BY_NAME["sources"]
    with engine.begin() as connection:
        connection.execute(update(sources).where(sources.c.id == "src:bad-link").values(url=SCRIPT_URL))
