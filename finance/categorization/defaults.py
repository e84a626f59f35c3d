"""Built-in keywords for users who have taught nothing yet. Pure: no ORM."""

from finance.categorization.text import tokens, words

# keyword (one word, or several words matched as a phrase) -> system category slug
KEYWORDS: dict[str, str] = {
    # groceries
    "whole foods": "groceries", "trader joe": "groceries", "safeway": "groceries", "kroger": "groceries",
    "aldi": "groceries", "lidl": "groceries", "rewe": "groceries", "edeka": "groceries", "tesco": "groceries",
    "sainsbury": "groceries", "costco": "groceries", "walmart": "groceries", "supermarket": "groceries",
    "grocery": "groceries", "groceries": "groceries", "carrefour": "groceries", "albert heijn": "groceries",
    "indomaret": "groceries", "alfamart": "groceries",
    # dining
    "starbucks": "dining", "mcdonald": "dining", "mcdonalds": "dining", "burger king": "dining",
    "chipotle": "dining", "subway": "dining", "kfc": "dining", "pizza": "dining", "restaurant": "dining",
    "cafe": "dining", "coffee": "dining", "bakery": "dining", "bistro": "dining", "sushi": "dining",
    "doordash": "dining", "deliveroo": "dining", "grubhub": "dining", "uber eats": "dining", "lieferando": "dining",
    "dunkin": "dining", "taco bell": "dining", "bar": "dining", "pub": "dining",
    # transport
    "uber": "transport", "lyft": "transport", "bolt": "transport", "taxi": "transport", "shell": "transport",
    "chevron": "transport", "exxon": "transport", "bp": "transport", "esso": "transport", "fuel": "transport",
    "gas station": "transport", "parking": "transport", "metro": "transport", "transit": "transport",
    "deutsche bahn": "transport", "mta": "transport", "grab": "transport", "gojek": "transport",
    # housing
    "rent": "housing", "mortgage": "housing", "landlord": "housing", "ikea": "housing", "home depot": "housing",
    # utilities
    "electric": "utilities", "electricity": "utilities", "water bill": "utilities", "comcast": "utilities",
    "verizon": "utilities", "at&t": "utilities", "att": "utilities", "t mobile": "utilities", "vodafone": "utilities",
    "internet": "utilities", "pg&e": "utilities", "con edison": "utilities",
    # entertainment
    "cinema": "entertainment", "amc": "entertainment", "ticketmaster": "entertainment", "steam": "entertainment",
    "playstation": "entertainment", "xbox": "entertainment", "nintendo": "entertainment", "concert": "entertainment",
    "museum": "entertainment", "theatre": "entertainment", "theater": "entertainment",
    # shopping
    "amazon": "shopping", "target": "shopping", "ebay": "shopping", "zara": "shopping", "h&m": "shopping",
    "best buy": "shopping", "apple store": "shopping", "etsy": "shopping", "zalando": "shopping",
    "uniqlo": "shopping", "tokopedia": "shopping", "shopee": "shopping",
    # health
    "pharmacy": "health", "cvs": "health", "walgreens": "health", "dentist": "health", "doctor": "health",
    "clinic": "health", "hospital": "health", "apotheke": "health", "gym": "health", "fitness": "health",
    # personal care
    "salon": "personal_care", "barber": "personal_care", "spa": "personal_care", "sephora": "personal_care",
    "ulta": "personal_care", "hair": "personal_care",
    # travel
    "airbnb": "travel", "booking com": "travel", "expedia": "travel", "hotel": "travel", "airlines": "travel",
    "airline": "travel", "lufthansa": "travel", "delta air": "travel", "ryanair": "travel", "easyjet": "travel",
    "marriott": "travel", "hilton": "travel",
    # subscriptions
    "netflix": "subscriptions", "spotify": "subscriptions", "hulu": "subscriptions", "disney": "subscriptions",
    "youtube premium": "subscriptions", "icloud": "subscriptions", "apple com bill": "subscriptions",
    "google storage": "subscriptions", "patreon": "subscriptions", "subscription": "subscriptions",
    "dropbox": "subscriptions", "adobe": "subscriptions",
    # education
    "tuition": "education", "udemy": "education", "coursera": "education", "school": "education",
    "university": "education", "books": "education",
    # insurance
    "insurance": "insurance", "geico": "insurance", "allianz": "insurance", "state farm": "insurance",
    "progressive": "insurance",
    # fees
    "fee": "fees", "overdraft": "fees", "interest charge": "fees", "atm fee": "fees", "late fee": "fees",
    # gifts and donations
    "gift": "gifts", "donation": "gifts", "charity": "gifts", "florist": "gifts",
    # cash
    "atm": "cash", "cash withdrawal": "cash",
    # income and transfers (also decided by the transaction's kind)
    "salary": "income", "payroll": "income", "dividend": "income", "refund": "income",
    "transfer": "transfer", "venmo": "transfer", "zelle": "transfer",
}  # fmt: skip

_WORDS = {keyword: slug for keyword, slug in KEYWORDS.items() if " " not in keyword and "&" not in keyword}
_PHRASES = tuple(
    (" " + " ".join(words(keyword)) + " ", slug) for keyword, slug in KEYWORDS.items() if keyword not in _WORDS
)


def default_category(*, merchant: str, description: str) -> str | None:
    """The slug of the first built-in keyword found, merchant before description, phrases before words."""
    for text in (merchant, description):
        if not text:
            continue
        spaced = " " + " ".join(words(text)) + " "
        for phrase, slug in _PHRASES:
            if phrase in spaced:
                return slug
        for word in tokens(text):
            slug = _WORDS.get(word)
            if slug is not None:
                return slug
    return None
