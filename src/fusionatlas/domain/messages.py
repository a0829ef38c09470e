# ruff: noqa: E501  (a table of messages, one a line, reads better than wrapped)
"""Problems with input in Japanese: every message the validator, the value parsers and the readers write.

Messages are written once, in English, where the problem is found; `japanese()` rewrites one (or a report
of many, line by line) for a Japanese user, keeping its file, line, field names, ids and values as they are.
`tests/domain/test_messages.py` feeds bad input of every kind through the real validator and fails on any
message left in English, so a new message needs its pattern here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_V = r"(?P<v>.+?)"  # a quoted value as the message shows it
Rewrite = str | Callable[[re.Match[str]], str]


# Tables as messages name them ("unknown organizations id"), in Japanese.
TABLES_JA = {
    "sources": "出典", "technologies": "技術", "organizations": "組織", "capabilities": "技術能力", "needs": "ニーズ",
    "facilities": "施設", "programmes": "プログラム", "investments": "投資", "milestones": "マイルストーン",
    "regulations": "規制", "exchange_rates": "為替レート",
}  # fmt: skip
_BOUNDS = {
    "greater than or equal to": "以上",
    "greater than": "より大きい値",
    "less than or equal to": "以下",
    "less than": "未満",
}


def _table(found: re.Match[str]) -> str:
    return TABLES_JA.get(found["t"], found["t"])


def _unknown_id(found: re.Match[str]) -> str:
    return f"{_table(found)}に id {found['id']} はありません"


def _bound(found: re.Match[str]) -> str:
    return f"{found['n']} {_BOUNDS[found['b']]}でなければなりません"


def _choices(found: re.Match[str]) -> str:
    return found["a"].replace(" or ", "、") + " のいずれかでなければなりません"


def _country(found: re.Match[str]) -> str:
    hint = f"({found['hint']} を使ってください)" if found["hint"] else ""
    return f"{found['v']} は ISO 3166-1 の2文字の国コードではありません{hint}"


def _field(found: re.Match[str]) -> str:
    """A scenario file's "field 'x': problem": the field kept, its problem rewritten like any message."""
    return f"項目 {found['f']}：{_line(found['rest'])}"


# What the YAML parser says most often, in Japanese (others are kept as the parser words them).
_YAML_PROBLEMS = {
    "mapping values are not allowed here": "ここには「キー: 値」を書けません(コロンの後の空白や字下げを確認してください)",
    "could not find expected ':'": "「:」が見つかりません",
    "found character '\\t' that cannot start any token": "タブ文字は使えません(字下げは空白で)",
    "found a tab character that violates indentation": "タブ文字は使えません(字下げは空白で)",
    "did not find expected key": "キーが見つかりません(字下げを確認してください)",
    "did not find expected node content": "値が見つかりません",
    "found undefined alias": "未定義のエイリアスがあります",
}


def _yaml(found: re.Match[str]) -> str:
    detail = found["d"]
    shown = next((ja for en, ja in _YAML_PROBLEMS.items() if detail.startswith(en)), detail)
    if detail.startswith("expected <block end>") or detail.startswith("expected <block mapping end>"):
        shown = "字下げが揃っていません"
    return f"YAML の形式が正しくありません。詳細: {shown}"


# (pattern, Japanese): the first pattern that matches a message's text rewrites that part of it.
_PATTERNS: list[tuple[str, Rewrite]] = [
    # scenario files (scenarios/inputs.py): "FILE:LINE: field 'x': problem"
    (r"field (?P<f>'[^']*'): (?P<rest>.*)$", _field),
    (r"malformed YAML: (?P<d>.*)$", _yaml),
    (r"(?P<n>\d+) problems? found, nothing was written:", r"\g<n>件の問題があります。何も書き込んでいません:"),
    (r"\.\.\. and (?P<n>\d+) more problems", r"…ほか\g<n>件の問題"),
    (r"duplicate id (?P<id>'.*?') \(first at line (?P<n>\d+)\)", r"id \g<id> が重複しています(最初は\g<n>行目)"),
    (r"unknown (?P<t>[a-z_]+) id (?P<id>'.*?'|\".*?\")", _unknown_id),
    (r"unknown column \(columns of (?P<t>\w+): (?P<c>.*)\)", lambda f: f"不明な列です({_table(f)}の列: {f['c']})"),
    (r"unknown column", "不明な列です"),
    (r"required column is missing", "必須の列がありません"),
    (r"required, but empty or missing", "必須ですが、空か欠けています"),
    (r"cycle in the technology tree: ", "技術ツリーが循環しています: "),
    (rf"{_V} is out of range \(from (?P<lo>\S+) to (?P<hi>\S+)\)", r"\g<v> は範囲外です(\g<lo>〜\g<hi>)"),
    (r"the record names no source and is not marked unconfirmed=true", "出典がなく、unconfirmed=true でもありません"),
    (r"a Japanese organization needs its Japanese name", "日本の組織には日本語名が必要です"),
    (r"a need's value cannot be negative", "ニーズの金額は負にできません"),
    (r"an? (value|amount) needs its currency", "金額には通貨が必要です"),
    (r"a quantity needs its unit", "数量には単位が必要です"),
    (rf"{_V} is before the publication date (?P<d>\S+)", r"\g<v> が公開日 \g<d> より前です"),
    (rf"{_V} is before delivery_start (?P<d>\S+)", r"\g<v> が納入開始 (delivery_start) \g<d> より前です"),
    (r"an awarded need names the organizations it was awarded to", "決定済みのニーズには受注した組織が必要です"),
    (r"a need with awardees is awarded, not (?P<s>\w+)", r"受注者のいるニーズの状態は awarded です(\g<s> ではありません)"),
    (rf"{_V} is not a boolean \(use true/false, yes/no or 1/0\)", r"\g<v> は真偽値ではありません(true/false、yes/no、1/0)"),
    (rf"{_V} is not an ISO 3166-1 alpha-2 country code(?: \(use (?P<hint>\w+)\))?", _country),
    (rf"{_V} is not an organization kind \(one of: (?P<k>.*)\)", r"\g<v> は組織の種別ではありません(\g<k> のいずれか)"),
    (r"contains a control character \((?P<w>.*?)\): remove it", r"制御文字が含まれています(\g<w>)。削除してください"),
    (rf"{_V} is not a web address: only http:// and https:// links are accepted", r"\g<v> はウェブアドレスではありません(http:// と https:// のみ)"),
    (rf"{_V} is not a finite number", r"\g<v> は有限の数値ではありません"),
    (rf"{_V} is not an ISO 8601 date \(YYYY-MM-DD, YYYY-MM or YYYY\)", r"\g<v> は ISO 8601 の日付ではありません(YYYY-MM-DD、YYYY-MM、YYYY)"),
    (rf"{_V} has no month (?P<m>\d+)", r"\g<v> に\g<m>月はありません"),
    (rf"{_V} has no day (?P<d>\d+)", r"\g<v> に\g<d>日はありません"),
    (rf"{_V} is not an ISO 4217 currency code", r"\g<v> は ISO 4217 の通貨コードではありません"),
    (r"no such file", "ファイルがありません"),
    (r"no such folder", "フォルダがありません"),
    (r"exists and is not a folder \(a CSV export writes a data-package folder\)", "フォルダではないものが既にあります(CSV の書き出しはデータパッケージのフォルダを作ります)"),
    (r"not a data package \(none of (?P<n>.*)\)", r"データパッケージではありません(\g<n> のどれもありません)"),
    (r"cannot tell the text encoding \(expected UTF-8 or Shift_JIS/CP932\)", "文字コードを判別できません(UTF-8 または Shift_JIS/CP932 を想定)"),
    (r"the file is empty \(no header row\)", "ファイルが空です(見出し行がありません)"),
    (r"the sheet is empty \(no header row\)", "シートが空です(見出し行がありません)"),
    (r"malformed (?P<f>CSV|JSON|YAML): ", r"\g<f> の形式が正しくありません。詳細: "),
    (r"the header has an empty column name", "見出しに空の列名があります"),
    (r"the header names column (?P<c>.+?) twice", r"見出しに列 \g<c> が2回あります"),
    (r"not a readable XLSX workbook \((?P<e>.*)\)", r"XLSX ブックとして読めません(\g<e>)"),
    (r"no sheet (?P<s>.+?) \(sheets: (?P<l>.*)\)", r"シート \g<s> がありません(シート: \g<l>)"),
    (r"the row has values beyond the header's columns", "行に見出しの列より多くの値があります"),
    (r"the (?P<f>JSON|YAML) is nested too deeply", r"\g<f> の入れ子が深すぎます"),
    (r"the JSON object has no key (?P<k>.+?) \(keys: (?P<l>.*)\)", r"JSON オブジェクトにキー \g<k> がありません(キー: \g<l>)"),
    (r"expected a (?P<f>JSON|YAML) list of records", r"レコードの \g<f> リストが必要です"),
    (r"the file holds no records", "ファイルにレコードがありません"),
    (r"record (?P<n>\d+) is not a JSON object", r"\g<n>件目のレコードが JSON オブジェクトではありません"),
    (r"every item must be a mapping", "各項目はマッピングでなければなりません"),
    (r"unsupported file type (?P<s>.+?) \(use \.csv, \.xlsx, \.json or \.yaml\)", r"対応していない形式です \g<s>(.csv、.xlsx、.json、.yaml)"),
    (r"unknown export format (?P<f>.+?) \(use (?P<l>.*)\)", r"不明な書き出し形式です \g<f>(\g<l>)"),
    (r"unknown kind of record (?P<v>'.*?'); one of (?P<l>.*)", r"不明な種類です \g<v>(\g<l> のいずれか)"),
    # pydantic's own messages for field types
    (r"Input should be a valid integer[^(]*", "整数ではありません"),
    (r"Input should be a valid number[^(]*", "数値ではありません"),
    (r"Input should be a valid list[^(]*", "リストではありません"),
    (r"Input should be a valid string[^(]*", "文字列ではありません"),
    (r"Input should be a valid boolean[^(]*", "真偽値ではありません"),
    (r"Input should be (?P<a>'.*')", _choices),
    (r"Input should be (?P<b>(greater|less) than( or equal to)?) (?P<n>\S+)", _bound),
    (r"String should have at most (?P<n>\d+) characters?", r"\g<n>文字以内でなければなりません"),
    (r"Field required", "必須です"),
    # scenario files' fields (after "field 'x': ") and saved scenarios
    (r"^is missing$", "ありません"),
    (r"must be a year \(a whole number\), not (?P<v>.+)$", r"年(整数)でなければなりません(入力: \g<v>)"),
    (r"must be text, not (?P<v>.+)$", r"文字列でなければなりません(入力: \g<v>)"),
    (r"must be a number, not (?P<v>.+)$", r"数値でなければなりません(入力: \g<v>)"),
    (r"must be a whole number from (?P<lo>-?\d+) to (?P<hi>-?\d+), not (?P<v>.+)$", r"\g<lo>〜\g<hi> の整数でなければなりません(入力: \g<v>)"),
    (r"must be a yearly rate between -1 and 10, not (?P<v>.+)$", r"-1〜10 の年率でなければなりません(入力: \g<v>)"),
    (r"must be one of (?P<l>.+), not (?P<v>.+)$", r"\g<l> のいずれかでなければなりません(入力: \g<v>)"),
    (r"must be a list of ids", "ID のリストでなければなりません"),
    (r"must be a mapping with value \(or low/central/high\) and basis", "value(または low/central/high)と basis を持つマッピングでなければなりません"),
    (r"an assumption is a range \(low < high\), not one number", "仮定は1つの数ではなく範囲(low < high)で示してください"),
    (r"an assumption says why, in English and Japanese", "仮定には理由を英語と日本語で書いてください"),
    (r"must be 0-80 years after start_year (?P<y>\d+)", r"start_year \g<y> の0〜80年後でなければなりません"),
    (r"must list at least one plant", "プラントを1基以上挙げてください"),
    (r"every plant must be a mapping", "各プラントはマッピングでなければなりません"),
    (r"unknown plant design (?P<v>'.*?') \(known: (?P<k>.*)\)", r"不明なプラント設計です \g<v>(既知: \g<k>)"),
    (r"cannot come before operation_start", "operation_start より前にはできません"),
    (r"construction would start before (?P<y>\d+)", r"建設開始が \g<y> 年より前になります"),
    (r"unknown item (?P<v>'.*?')", r"不明な品目です \g<v>"),
    (r"the file is larger than (?P<n>\d+) bytes", r"ファイルが \g<n> バイトを超えています"),
    (r"not UTF-8 text", "UTF-8 のテキストではありません"),
    (r"expected a YAML mapping \((?P<l>.*)\)", r"YAML のマッピングが必要です(\g<l>)"),
    (r"at most (?P<n>\d+) saved scenarios per user", r"保存できるシナリオは1人 \g<n> 件までです"),
    (r"a country code is required \(e\.g\. JP\)", "国コードが必要です(例: JP)"),
    (r"(?P<c>[A-Z]{2}) is the focus country; it cannot also be a partner", r"\g<c> は対象国なので、パートナー国にはできません"),
]  # fmt: skip
_COMPILED = [(re.compile(pattern), rewrite) for pattern, rewrite in _PATTERNS]
_GOT = re.compile(r" \(got (?P<v>.*)\)$")


def japanese(message: str) -> str:
    """`message` (one problem, or a report of several, one per line) for a Japanese reader."""
    return "\n".join(_line(line) for line in message.split("\n"))


def _line(line: str) -> str:
    got = _GOT.search(line)
    if got:
        line = line[: got.start()]
    for pattern, rewrite in _COMPILED:
        if pattern.search(line):
            line = pattern.sub(rewrite, line, count=1)
            break
    return line + (f"(入力: {got['v']})" if got else "")


def in_language(message: str, lang: str) -> str:
    """`message` in the user's language (the messages are written in English)."""
    return japanese(message) if lang == "ja" else message
