import pytest

from fusionatlas.text import normalize, normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ダイバーター", "ダイバータ"),
        ("ｼﾞｬｲﾛﾄﾛﾝ", "ジャイロトロン"),
        ("ＲＥＢＣＯ", "rebco"),
        ("超電導コイル", "超伝導コイル"),
        ("Nb3Sn  strand", "nb3sn strand"),
    ],
)
def test_variants_fold_to_one_form(a, b):
    assert normalize(a) == normalize(b)


def test_long_vowel_inside_a_word_stays():
    assert normalize("ブランケット") == "ブランケット"
    assert normalize("スーパー") == "スーパ"
    assert "ー" in normalize("クーラント")


@pytest.mark.parametrize(
    ("a", "b"),
    [("株式会社フジクラ", "フジクラ"), ("Fujikura Ltd.", "fujikura"), ("Kyoto Fusioneering Ltd", "Kyoto Fusioneering")],
)
def test_organization_names_drop_legal_forms(a, b):
    assert normalize_name(a) == normalize_name(b)
