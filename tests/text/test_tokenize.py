"""Tokens in both languages, and safe use from many threads at once (the web app's thread pool)."""

from concurrent.futures import ThreadPoolExecutor

from fusionatlas.text.tokenize import tokens


def test_english_stems_and_formulas():
    assert tokens("REBCO tapes for TF coils, Nb3Sn strands") == ("rebco", "tape", "tf", "coil", "nb3sn", "strand")


def test_japanese_keeps_compounds_and_parts():
    found = tokens("高温超伝導線材の製造")
    assert "高温超伝導線材" in found and "線材" in found


def test_many_threads_get_the_same_answers():
    texts = [f"superconducting magnets and coils number {i} 超伝導コイル{i}" for i in range(400)]
    expected = [tokens.__wrapped__(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(tokens.__wrapped__, texts)) == expected


def test_hyphens_split_words_and_decimals_stay_whole():
    assert tokens("all-HTS D-T tokamak") == tokens("all HTS D T tokamak")
    assert "1.6" in tokens("Cu:nonCu 1.6")


def test_stemming_uses_the_c_stemmer():
    # PyStemmer makes snowballstemmer hand out libstemmer's C stemmer (same stems, checked on the bundled
    # vocabulary); the pure-Python one took two thirds of an index build.
    from fusionatlas.text.tokenize import _stemmer

    assert type(_stemmer()).__module__ == "Stemmer"


def test_shown_words_are_the_words_as_written_without_fillers_or_numbers():
    from fusionatlas.text.tokenize import shown_words, tokens

    text = "We manufacture large Valves for studies of 20 units; パートナー企業とエネルギー分野の同位体分離をする 100"
    shared = set(tokens(text)) - {tokens("同位体分離")[-1]}  # the compound is not shared: its parts are
    latin, japanese = shown_words(text, shared)
    assert latin == ["manufacture", "large", "Valves", "studies", "units"]
    assert japanese == ["パートナー企業", "エネルギー分野", "分離"]  # whole words, not パートナ or 同位
    assert not set(japanese) & {"パートナ", "エネルギ", "同位", "する", "企業", "100"}
