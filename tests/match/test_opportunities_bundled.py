"""On the bundled atlas: a Japanese REBCO maker, gyrotron maker and valve maker, by id and by their products
described in Japanese, find real needs with reasons (the needs issue's acceptance)."""

import pytest

from fusionatlas.domain.audience import PUBLIC
from fusionatlas.match.index import build_index
from fusionatlas.match.opportunities import opportunities, seeds_of_organization, seeds_of_text
from fusionatlas.store.engine import open_engine

MAKERS = [
    ("org:fujikura", "当社はREBCO高温超伝導線材を製造しています", "tech:magnet.hts"),
    ("org:canon-electron-tubes", "当社はジャイロトロンを製造しています", "tech:hcd.ec.gyrotron"),
    ("org:fujikin", "当社は高真空・高温用バルブを製造しています", "tech:cryo.valve"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from fusionatlas.dataset import BUNDLED
    from fusionatlas.dataset.package import load_package

    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'atlas.db'}")
    load_package(engine, BUNDLED)
    with engine.connect() as connection:
        built = build_index(connection)
    engine.dispose()
    return built


def _needs(found):
    return [o for o in found if o.kind == "need"]


@pytest.mark.parametrize(("org_id", "text", "node"), MAKERS)
def test_a_maker_finds_real_needs_by_id_and_by_japanese_text(index, org_id, text, node):
    by_id = opportunities(index, seeds_of_organization(index, org_id, PUBLIC), 10, PUBLIC)
    seeds = seeds_of_text(index, text)
    assert node in seeds.technologies or any(t.startswith(node) for t in seeds.technologies), seeds.technologies
    by_text = opportunities(index, seeds, 10, PUBLIC)
    for found in (by_id, by_text):
        needs = _needs(found)
        assert needs, (org_id, [o.id for o in found])
        first = needs[0]
        assert first.buyer_org_id and first.status in ("open", "awarded", "closed")
        assert any(why.kind == "concept" and why.ja for why in first.why)  # why it fits, in Japanese too
        assert first.id in {n["id"] for n in index.needs}  # a need of the atlas, not a made-up one
