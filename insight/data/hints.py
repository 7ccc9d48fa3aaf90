"""What column names say, in English, German, French, Spanish, Portuguese, Italian, Dutch, Chinese and Japanese.

Names are split into words (camelCase, `_`, spaces, punctuation) and short hints match whole words only, so
`ean` is not found in "Coffee Bean" nor `order` in "OrderAmountHike" taken as an order number; long stems
(`kunde`, `bestell`, `quantit`) also match inside compound words (Kundennummer, Bestelldatum), and Chinese and
Japanese hints match anywhere in the name, since those names have no spaces.
"""

from __future__ import annotations

import re
from functools import cache

from insight.i18n import N_

KINDS = ("customers", "transactions", "feedback", "ratings", "items")
KIND_NAMES = {  # each kind (a key) in words, translated when shown
    "customers": N_("customers"),
    "transactions": N_("transactions"),
    "feedback": N_("feedback"),
    "ratings": N_("ratings"),
    "items": N_("items"),
}
SINGLE_ROLES = (
    "customer_id",
    "timestamp",
    "order_id",
    "item_id",
    "item_name",
    "quantity",
    "unit_price",
    "amount",
    "refund",
    "rating",
    "text",
    "label",
)
MULTI_ROLES = ("numeric", "categorical", "pii")
Roles = dict[str, "str | list[str]"]

# Per role: whole words (regex alternatives matched against single words), stems (matched inside a word, for
# compounds) and CJK fragments (matched anywhere in the name).
_WORDS = {
    "customer": r"customers?|clients?|users?|members?|buyers?|shoppers?|accounts?|subscribers?|contacts?|cust|"
    r"reviewers?|guests?|visitors?|patients?|students?|donors?|respondents?|households?|players?|kunden?|"
    r"utilisateurs?|usuarios?|utentes?|klant|gebruiker|cliente|comprador|socio|abonn[ée]",
    "order": r"orders?|invoices?|transactions?|receipts?|baskets?|commande|facture|pedidos?|factura|fattura|ordine|"
    r"bestelling|factuur|bon|beleg|tickets?|bestellung|rechnung|auftrag|sale",
    "item": r"items?|products?|sku|skus|articles?|artikel|produkt|produit|producto|produto|prodotto|movies?|films?|"
    r"books?|isbn|asin|ean|upc|gtin|services?|course|listings?|place|venue|restaurants?|hotels?|business|games?|"
    r"songs?|tracks?|recipes?|apps?|stock|stockcode|ware|warengruppe|goods",
}
_STEMS = {
    "customer": r"kunde|kund(?=en|nr|num)|customer|cliente|utilisat|usuari|abonnent|klant",
    "order": r"bestell|rechnung|auftrag|commande|factur",
    "item": r"artikel|produkt|product|warengrupp|artikelgrupp|produktgrupp",
}
_CJK = {
    "customer": r"客户|顾客|会员|用户|买家|卡号|账号|旺旺|昵称|顧客|会員|ユーザー|お客",
    "order": r"订单号|订单编号|订单id|交易号|单号|流水号|注文番号|伝票",
    "item": r"商品编|商品id|商品编码|宝贝id|货号|图书编号|书号|编码|条码|编号|商品コード|品番|商品番号",
}
_CODE_WORD = r"sku|skus|isbn|asin|ean|upc|gtin|stockcode"  # words that are ids in themselves (Lineitem sku)
# Words that end an id name: CustomerID, Order No, Kundennummer, 订单编号
ID_SUFFIX = (
    r"ids?|no|nr|nbr|num|number|nummer|numero|número|numéro|code|código|codigo|codice|key|ref|reference|#|编号|号|番号"
)
# The role hints of value columns (whole words | stems | CJK)
_VALUE_HINTS = {
    "quantity": (
        r"qty|quantity|quantities|units|pieces|menge|anzahl|stück|stueck|cantidad|quantidade|quantità|aantal|"
        r"stuks|pcs|volume",
        r"quantit|stückzahl",
        r"数量|件数|销量|个数|総数|数",
    ),
    "unit_price": (
        r"price|prices|unit cost|preis|prix|precio|preco|preço|prezzo|prijs|rate|tarif",
        r"preis|price",
        r"单价|价格|售价|定价|价|単価|価格",
    ),
    "amount": (
        r"amount|total|revenue|sales|spend|spent|value|dollars?|euros?|paid|payment|sum|betrag|umsatz|summe|montant|"
        r"importe|monto|valor|importo|bedrag|charges?|gmv|net|gross|turnover|subtotal",
        r"betrag|umsatz|revenue",
        r"金额|实收|实付|实际支付|支付|销售额|营业额|总价|合计|码洋|成交额|收入|金額|売上",
    ),
    "rating": (
        r"rating|ratings|stars?|overall|score|grade|bewertung|sterne|note|nota|évaluation|evaluation|valoración|"
        r"puntuación|avaliação|voto|valutazione|beoordeling|cijfer|calificacion|calificación|clasificación|"
        r"estrellas|étoiles|stelle|sterren|оценка|рейтинг",
        r"bewertung|calificaci|clasificaci|puntuaci|valoraci|avalia",
        r"评分|星级|打分|评星|評価|点数",
    ),
    "text": (
        r"comments?|reviews?|feedback|text|texts|message|messages|body|remarks?|opinions?|sentence|contents?|"
        r"complaints?|answers?|descri[cç][aã]o|descripci[oó]n|description|kommentar|avis|commentaires?|"
        r"comentarios?|comentário|recensione|opmerking|mensaje|relato|reclama[cç][aã]o|texte|textos?|testo|tweet|"
        r"verified reviews|отзыв|текст",
        r"kommentar|bewertungstext|comment|review|feedback|reclama",
        r"评论|评价|内容|留言|反馈|意见|レビュー|口コミ|コメント|感想|本文",
    ),
    "item_name": (
        r"title|titel|titre|titulo|título|titolo|name|names|description|descr|bezeichnung|beschreibung|libellé|"
        r"designation|désignation|omschrijving|variation|variant|model|shop|store|restaurant|hotel|place|venue|app|"
        r"product name|item name|nombre",
        r"bezeichnung|beschreibung|omschrijving",
        r"商品名称|商品名|品名|书名|标题|名称|宝贝标题|产品名称|店名|店铺|酒店|餐厅|タイトル|店舗",
    ),
    "timestamp": (
        r"date|dates|time|datetime|timestamp|datum|fecha|data|jour|day|created|placed|zeit|stamp|when|dia|giorno|"
        r"at|on|purchased|ordered",
        r"datum|zeitpunkt",
        r"日期|时间|時間|日付|日時|下单|创建|成交",
    ),
}
# Numbers about a customer or an item, never an id or the amount: counts, averages, shares.
COUNT_NAME = re.compile(
    r"(^|[\W_])(n|num|count|counts|cnt|nb)([\W_]|$)|num.?of|number.?of|_count|count_|counts?$|^count|reviews$|"
    r"votes|installs|downloads|followers|likes|数量|件数|种类|个数|总数|次数|人数|条数",
    re.I,
)
AGGREGATE = re.compile(
    r"(^|[\W_])(avg|mean|average|median|per|ratio|rate|pct|percent|share|hike|lifetime|ltv)([\W_]|$)|_per_|"
    r"^avg|average|平均|比例|率",
    re.I,
)
# Money that is not what the customer spent on the goods: stems (Versandkosten) and whole words (Porto, not Importo)
_NOT_SPEND_STEMS = re.compile(
    r"freight|shipping|postage|versand|discount|coupon|refund|运费|税|优惠|折扣|退款|余额", re.I
)
_NOT_SPEND_WORDS = r"porto|tax|taxes|vat|gst|fee|fees|tip|tips|balance|saldo|steuer|mwst|iva|tva"


# Money given back to the customer (退款金额, Refunded Amount): taken off the paid amount as net revenue
REFUND = re.compile(r"refund|退款|退货金额|erstatt|rembours|reembols|rimbors|terugbetaal", re.I)
_PAID_CJK = re.compile(r"实付|实收|实际支付|已付|支付金额|付款金额|実際の支払")


def paid_name(name: str) -> bool:
    """A name that says the money was paid (Amount paid, Paid, 实付, 买家实际支付金额), not merely owed (Total)."""
    return _word_hit(r"paid|payé|payée|bezahlt|pagado|pago|pagato|betaald|collected|received", name) or bool(
        _PAID_CJK.search(name)
    )


def not_spend(name: str) -> bool:
    """Shipping, tax, fees, discounts, refunds, a running balance: money, but not what was spent on the goods."""
    return _NOT_SPEND_STEMS.search(name) is not None or _word_hit(_NOT_SPEND_WORDS, name)


# Event times that are not the event: when a record was last changed or scraped, or a product was published
SNAPSHOT_TIME = re.compile(
    r"update|updated|modified|changed|scrape|crawl|fetched|exported|publish|published|release|更新|修改|发布|上架",
    re.I,
)
_TIME_TIERS = (
    re.compile(
        r"sale|order|purchase|transaction|created|invoice|placed|bestell|commande|pedido|下单|创建|成交|购", re.I
    ),
    re.compile(r"paid|payment|pay|付款|支付|bezahlt", re.I),
    re.compile(r"ship|deliver|dispatch|sent|发货|收货|versand|envoi", re.I),
)
# Ids of other things than the customer: never the customer by the generic "…_id" fallback.
OTHER_ENTITY = re.compile(
    r"seller|vendor|supplier|merchant|store|shop|business|review|session|event|line|row|record|payment|"
    r"shipment|ticket|campaign|employee|agent|staff|category|region|country|city|tweet|message|post|comment|"
    r"thread|mgr|manager|rep|promo|coupon|listing|warehouse",
    re.I,
)
# A line's position within an order (LINE_ITEM_ID, Pos, lfd. Nr): never an item id
LINE_NUMBER = re.compile(r"(^|[\W_])(line|lines|position|pos|row|seq|sequence|lfd|zeile)([\W_]|$)|^line|行号", re.I)
# Attributes of an item or a customer (productColor, ship-service-level, userLevelName's level): never an id or a name
ATTRIBUTE = re.compile(
    r"(color|colour|size|category|categories|type|group(?!e)|brand|weight|dimension|variant|variation|model|"
    r"level|tier|status|mode|method|channel|颜色|尺寸|规格|类别|品牌|等级|状态)$",
    re.I,
)
# A scraper's or a tool's made-up header (selection1_selection2_name, field3, column_2): it says nothing
GENERIC_HEADER = re.compile(
    r"^(selection|field|column|col|var|unnamed)[_ ]?\d+([_\W]+(selection\d+|field\d+|name|text|url|\d+))*$", re.I
)


@cache
def words(name: str) -> tuple[str, ...]:
    """A column name as lowercase words: 'OrderAmountHikeFromlastYear' -> order amount hike fromlast year."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return tuple(w for w in re.split(r"[\W_]+", spaced.lower()) if w)


def _word_hit(pattern: str, name: str) -> bool:
    found = words(name)
    joined = " ".join(found)
    return re.search(rf"(?<![^\W_])({pattern})(?![^\W_])", joined, re.I) is not None


def value_hint(role: str, name: str) -> bool:
    """Whether a column name hints at a value role (quantity, unit_price, amount, rating, text, item_name,
    timestamp)."""
    whole, stems, cjk = _VALUE_HINTS[role]
    lowered = name.lower()
    return _word_hit(whole, name) or re.search(stems, lowered) is not None or re.search(cjk, name) is not None


def entity_hint(entity: str, name: str) -> bool:
    """Whether the name mentions the entity (customer, order, item) anywhere."""
    return (
        _word_hit(_WORDS[entity], name)
        or re.search(_STEMS[entity], name.lower()) is not None
        or re.search(_CJK[entity], name) is not None
    )


def id_name(entity: str, name: str) -> bool:
    """Whether the name is shaped like the id of the entity: the entity word alone or followed by an id suffix
    (CustomerID, Order No, Kundennummer, 商品编码), not the entity followed by other words (OrderAmountHike)."""
    if re.search(_CJK[entity], name):
        return not ATTRIBUTE.search(name) and not COUNT_NAME.search(name)
    parts = list(words(name))
    if not parts:
        return False
    suffixed = re.fullmatch(ID_SUFFIX, parts[-1]) is not None and len(parts) > 1
    if suffixed:
        parts = parts[:-1]
    elif len(parts) > 1 and re.fullmatch(rf"{ID_SUFFIX}|n|nº|n°", parts[0]):  # Numéro client, Número de pedido
        parts = [p for p in parts[1:] if p not in ("de", "du", "des", "da", "do", "del", "van", "der", "of")]
        suffixed = bool(parts)
        if not parts:
            return False
    head = parts[-1]
    if re.fullmatch(_WORDS[entity], head) or re.fullmatch(rf"({_STEMS[entity]})\w*", head):
        # MntMeatProducts (spend on meat) names no product: other words need an id suffix to make an id
        return len(parts) == 1 or (suffixed and len(parts) <= 3) or re.fullmatch(_CODE_WORD, head) is not None
    compound = re.fullmatch(rf"\w*({_STEMS[entity]})\w*?({ID_SUFFIX})?", head)  # Kundennummer, Bestellnr
    return compound is not None and len(parts) == 1


def id_like_name(name: str) -> bool:
    """A name ending in an id word (ACCOUNT_MGR_ID, Order No, LocationCode): never a number about a customer."""
    return re.search(r"(^|[\W_])(id|code|nr|no|number)$|^id", name, re.I) is not None


def bare_id(name: str) -> bool:
    """A bare `id` (ID, Id, _id, uid): the id of the table's own entity, whatever that is."""
    return re.fullmatch(r"_?(id|uid|ids|key)", name.strip(), re.I) is not None


def question(name: str) -> bool:
    """A survey question or a yes/no flag as a header ('9. Do you have a card?', 'Allow customer reviews?')."""
    stripped = name.strip()
    return (
        len(words(name)) > 6
        or stripped.endswith(("?", ":", "？", "："))
        or re.match(r"^\d+[.)]\s", stripped) is not None
        or re.match(r"^(allow|is|has|have|enable|enabled|can|should|show|use)[\W_A-Z]", stripped) is not None
    )


def time_tier(name: str) -> int:
    """0 for the event's own time (sale, order, created), 1 payment, 3 shipping, 2 any other date."""
    for tier, pattern in enumerate(_TIME_TIERS):
        if pattern.search(name):
            return (0, 1, 3)[tier]
    return 2
