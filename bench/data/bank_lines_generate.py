"""Writes bank_lines_generated.csv: bank statement lines as six countries' banks print them, labelled.

    python bench/data/bank_lines_generate.py [--rows 1700] [--seed 2026]

Each merchant has the category a person would file it under and a plausible amount range; each
bank has its own ways of printing a card payment, a direct debit, a transfer, a salary, a cash
withdrawal and a fee (prefixes, store numbers, terminal ids, dates, cities, truncation). Merchants
are drawn with a long tail (a few very often, most rarely), as in a real account. The merchant
column is filled the three ways imports fill it: empty (a CSV with one text column), the bank's
own payee field (OFX NAME, cut at 32 characters), or a clean name (an enriched export).
bank_lines_handwritten.csv, typed by hand, is the second part of the data set.
"""

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ["merchant", "description", "amount", "direction", "country", "category", "merchant_key", "origin"]


@dataclass(frozen=True)
class Merchant:
    name: str  # as the card network prints it
    category: str
    low: float
    high: float
    city: str = ""
    channel: str = "card"  # card | debit (direct debit / standing order) | online


def m(name, category, low, high, city="", channel="card"):
    return Merchant(name, category, low, high, city, channel)


MERCHANTS: dict[str, list[Merchant]] = {
    "US": [
        m("WHOLEFDS MKT", "groceries", 12, 180, "AUSTIN TX"), m("TRADER JOE'S", "groceries", 15, 120, "SEATTLE WA"),
        m("SAFEWAY", "groceries", 8, 160, "OAKLAND CA"), m("KROGER", "groceries", 10, 140, "COLUMBUS OH"),
        m("H-E-B", "groceries", 20, 190, "HOUSTON TX"), m("PUBLIX SUPER MARKETS", "groceries", 9, 130, "TAMPA FL"),
        m("STARBUCKS STORE", "dining", 3, 14, "CHICAGO IL"), m("CHIPOTLE ONLINE", "dining", 9, 28, "DENVER CO"),
        m("DOORDASH*THAI BASIL", "dining", 18, 55, "SAN FRANCISCO CA", "online"),
        m("SQ *BLUE BOTTLE COFFEE", "dining", 4, 12, "BROOKLYN NY"), m("TST* JOES PIZZA", "dining", 6, 40, "NEW YORK NY"),
        m("SWEETGREEN", "dining", 11, 19, "BOSTON MA"), m("MCDONALD'S F1234", "dining", 4, 16, "PHOENIX AZ"),
        m("UBER *TRIP", "transport", 7, 48, "HELP.UBER.COM CA", "online"), m("LYFT *RIDE", "transport", 6, 40, "SAN FRANCISCO CA", "online"),
        m("SHELL OIL 57442", "transport", 25, 75, "DENVER CO"), m("CHEVRON 0203", "transport", 20, 80, "SAN JOSE CA"),
        m("MTA*NYCT PAYGO", "transport", 2.9, 34, "NEW YORK NY"), m("SP+ PARKING", "transport", 8, 35, "CHICAGO IL"),
        m("COMCAST CABLE COMM", "utilities", 60, 140, "", "debit"), m("PG&E WEB ONLINE", "utilities", 40, 220, "", "debit"),
        m("VERIZON WRLS", "utilities", 45, 130, "", "debit"), m("CITY OF AUSTIN UTIL", "utilities", 60, 180, "", "debit"),
        m("NETFLIX.COM", "subscriptions", 9.99, 22.99, "LOS GATOS CA", "online"),
        m("SPOTIFY USA", "subscriptions", 10.99, 16.99, "NEW YORK NY", "online"),
        m("APPLE.COM/BILL", "subscriptions", 0.99, 14.99, "CUPERTINO CA", "online"),
        m("HULU 877-8244858", "subscriptions", 7.99, 17.99, "CA", "online"),
        m("AMAZON MKTPL*2K4", "shopping", 6, 140, "AMZN.COM/BILL WA", "online"), m("TARGET T-1492", "shopping", 8, 150, "MINNEAPOLIS MN"),
        m("BEST BUY 00012", "shopping", 20, 900, "RICHFIELD MN"), m("ETSY.COM", "shopping", 12, 80, "BROOKLYN NY", "online"),
        m("CVS/PHARMACY #08842", "health", 5, 60, "BOSTON MA"), m("WALGREENS #4471", "health", 4, 55, "CHICAGO IL"),
        m("PLANET FITNESS", "health", 10, 25, "", "debit"), m("KAISER PERMANENTE", "health", 20, 250, "OAKLAND CA"),
        m("GREAT CLIPS", "personal_care", 16, 30, "PLANO TX"), m("ULTA BEAUTY", "personal_care", 10, 70, "ORLANDO FL"),
        m("SQ *FADE MASTERS BARBER", "personal_care", 25, 45, "ATLANTA GA"),
        m("AMC 6145 ONLINE", "entertainment", 12, 45, "KANSAS CITY MO", "online"), m("STEAMGAMES.COM", "entertainment", 5, 60, "WA", "online"),
        m("TICKETMASTER", "entertainment", 40, 260, "", "online"),
        m("DELTA AIR 0062", "travel", 120, 700, "ATLANTA GA", "online"), m("MARRIOTT", "travel", 140, 520, "ORLANDO FL"),
        m("AIRBNB * HMQ2", "travel", 90, 800, "SAN FRANCISCO CA", "online"), m("EXPEDIA 72", "travel", 100, 900, "SEATTLE WA", "online"),
        m("GEICO *AUTO", "insurance", 80, 210, "", "debit"), m("STATE FARM RO 27", "insurance", 60, 180, "", "debit"),
        m("UDEMY", "education", 11, 90, "SAN FRANCISCO CA", "online"), m("UNIV OF TEXAS TUITION", "education", 400, 5200, "", "online"),
        m("BARNES & NOBLE #2280", "education", 8, 60, "NEW YORK NY"),
        m("AVALON APARTMENTS RENT", "housing", 1400, 2600, "", "debit"), m("THE HOME DEPOT #0614", "housing", 9, 300, "AUSTIN TX"),
        m("1-800-FLOWERS.COM", "gifts", 35, 110, "", "online"), m("AMERICAN RED CROSS", "gifts", 10, 100, "", "online"),
    ],
    "UK": [
        m("TESCO STORES 3012", "groceries", 5, 120, "LONDON"), m("SAINSBURYS S/MKTS", "groceries", 6, 110, "MANCHESTER"),
        m("ASDA STORES", "groceries", 8, 130, "LEEDS"), m("WAITROSE 829", "groceries", 7, 90, "OXFORD"),
        m("M&S SIMPLY FOOD", "groceries", 4, 40, "LONDON"), m("OCADO RETAIL", "groceries", 40, 150, "HATFIELD", "online"),
        m("PRET A MANGER", "dining", 3, 14, "LONDON"), m("GREGGS", "dining", 2, 9, "NEWCASTLE"),
        m("NANDOS", "dining", 12, 60, "BRISTOL"), m("DELIVEROO", "dining", 15, 45, "LONDON", "online"),
        m("WETHERSPOONS", "dining", 5, 40, "BIRMINGHAM"), m("COSTA COFFEE", "dining", 2.5, 9, "CARDIFF"),
        m("TFL TRAVEL CH", "transport", 1.75, 12, "TFL.GOV.UK/CP", "online"), m("TRAINLINE", "transport", 9, 140, "LONDON", "online"),
        m("BP", "transport", 30, 90, "READING"), m("NCP LTD", "transport", 6, 30, "LONDON"),
        m("BRITISH GAS", "utilities", 40, 180, "", "debit"), m("THAMES WATER", "utilities", 25, 60, "", "debit"),
        m("OCTOPUS ENERGY", "utilities", 50, 200, "", "debit"), m("BT GROUP PLC", "utilities", 30, 70, "", "debit"),
        m("COUNCIL TAX LAMBETH", "housing", 110, 190, "", "debit"), m("FOXTONS RENT", "housing", 1200, 2400, "", "debit"),
        m("NETFLIX.COM", "subscriptions", 4.99, 17.99, "AMSTERDAM", "online"), m("DISNEY PLUS", "subscriptions", 4.99, 10.99, "LONDON", "online"),
        m("AMAZON.CO.UK*RT4", "shopping", 5, 120, "AMAZON.CO.UK", "online"), m("ARGOS LTD", "shopping", 6, 200, "MILTON KEYNES"),
        m("JOHN LEWIS", "shopping", 15, 400, "LONDON"), m("PRIMARK", "shopping", 5, 60, "LIVERPOOL"),
        m("BOOTS", "health", 3, 40, "NOTTINGHAM"), m("PURE GYM LTD", "health", 19.99, 34.99, "", "debit"),
        m("BUPA DENTAL", "health", 50, 250, "LONDON"), m("TONI&GUY", "personal_care", 35, 90, "LONDON"),
        m("VUE CINEMAS", "entertainment", 8, 30, "LONDON", "online"), m("ODEON CINEMAS", "entertainment", 8, 28, "MANCHESTER"),
        m("EASYJET", "travel", 30, 250, "LUTON", "online"), m("PREMIER INN", "travel", 45, 180, "EDINBURGH"),
        m("AVIVA", "insurance", 20, 90, "", "debit"), m("DIRECT LINE INS", "insurance", 25, 80, "", "debit"),
        m("WATERSTONES", "education", 7, 45, "LONDON"), m("OPEN UNIVERSITY", "education", 300, 1600, "", "online"),
        m("OXFAM", "gifts", 5, 30, "OXFORD"), m("MOONPIG.COM", "gifts", 4, 45, "", "online"),
    ],
    "DE": [
        m("REWE Markt GmbH", "groceries", 5, 120, "Berlin"), m("EDEKA Center", "groceries", 6, 110, "Hamburg"),
        m("ALDI SUED", "groceries", 8, 90, "Muenchen"), m("LIDL DIENSTL. GMBH", "groceries", 5, 80, "Koeln"),
        m("Netto Marken-Discount", "groceries", 4, 60, "Leipzig"), m("Kaufland", "groceries", 12, 140, "Stuttgart"),
        m("Lieferando.de", "dining", 15, 50, "Berlin", "online"), m("BACKWERK", "dining", 2, 9, "Duesseldorf"),
        m("Zum Goldenen Hirsch", "dining", 20, 90, "Nuernberg"), m("Vapiano", "dining", 10, 40, "Frankfurt"),
        m("DB Vertrieb GmbH", "transport", 9, 150, "Frankfurt", "online"), m("MVG Automat", "transport", 3.5, 20, "Muenchen"),
        m("ARAL Station", "transport", 30, 90, "Bochum"), m("BVG Ticket", "transport", 3.2, 49, "Berlin", "online"),
        m("Stadtwerke Muenchen", "utilities", 40, 160, "", "debit"), m("Vattenfall Europe Sales", "utilities", 45, 150, "", "debit"),
        m("Telekom Deutschland GmbH", "utilities", 30, 80, "", "debit"), m("Vodafone GmbH", "utilities", 20, 60, "", "debit"),
        m("Rundfunk ARD ZDF DRadio", "utilities", 55.08, 55.08, "", "debit"),
        m("Hausverwaltung Schmidt Miete", "housing", 700, 1600, "", "debit"), m("BAUHAUS", "housing", 10, 250, "Mannheim"),
        m("Spotify AB", "subscriptions", 10.99, 17.99, "Stockholm", "online"), m("Netflix International B.V.", "subscriptions", 7.99, 19.99, "", "online"),
        m("Zalando SE", "shopping", 20, 180, "Berlin", "online"), m("Amazon EU S.a.r.L.", "shopping", 6, 150, "", "online"),
        m("MediaMarkt", "shopping", 15, 800, "Ingolstadt"), m("OTTO GmbH", "shopping", 20, 400, "Hamburg", "online"),
        m("Apotheke am Markt", "health", 4, 50, "Bonn"), m("McFit GmbH", "health", 24.9, 29.9, "", "debit"),
        m("Zahnarztpraxis Dr. Weber", "health", 40, 300, "Hannover"), m("dm-drogerie markt", "personal_care", 3, 45, "Karlsruhe"),
        m("Rossmann", "personal_care", 2, 35, "Burgwedel"), m("Friseur Haarwerk", "personal_care", 25, 80, "Berlin"),
        m("CinemaxX", "entertainment", 9, 30, "Hamburg"), m("EVENTIM", "entertainment", 35, 180, "Bremen", "online"),
        m("Lufthansa", "travel", 90, 900, "Frankfurt", "online"), m("Booking.com", "travel", 80, 700, "Amsterdam", "online"),
        m("FlixBus", "travel", 12, 60, "Muenchen", "online"),
        m("HUK-COBURG", "insurance", 30, 120, "", "debit"), m("Allianz Versicherungs-AG", "insurance", 20, 150, "", "debit"),
        m("Volkshochschule", "education", 40, 220, "Koeln", "online"), m("Thalia Buecher", "education", 8, 40, "Hagen"),
        m("Fleurop", "gifts", 30, 80, "Berlin", "online"), m("Deutsches Rotes Kreuz", "gifts", 10, 100, "", "debit"),
    ],
    "NL": [
        m("ALBERT HEIJN 1234", "groceries", 4, 90, "AMSTERDAM"), m("JUMBO", "groceries", 5, 110, "UTRECHT"),
        m("LIDL", "groceries", 5, 70, "ROTTERDAM"), m("PLUS", "groceries", 6, 60, "DEN HAAG"),
        m("Thuisbezorgd.nl", "dining", 15, 45, "AMSTERDAM", "online"), m("FEBO", "dining", 2, 12, "AMSTERDAM"),
        m("CAFE DE JAREN", "dining", 8, 60, "AMSTERDAM"),
        m("NS GROEP IZ NS REIZIGERS", "transport", 3, 60, "UTRECHT"), m("GVB", "transport", 3.4, 9, "AMSTERDAM"),
        m("SHELL", "transport", 30, 90, "EINDHOVEN"), m("Q-PARK", "transport", 4, 35, "ROTTERDAM"),
        m("ENECO", "utilities", 60, 200, "", "debit"), m("Vattenfall Klantenservice", "utilities", 50, 180, "", "debit"),
        m("ZIGGO", "utilities", 40, 80, "", "debit"), m("KPN", "utilities", 20, 60, "", "debit"),
        m("Waternet", "utilities", 15, 40, "", "debit"),
        m("Woonstichting De Key huur", "housing", 600, 1200, "", "debit"), m("PRAXIS", "housing", 8, 200, "ALMERE"),
        m("bol.com", "shopping", 8, 200, "UTRECHT", "online"), m("COOLBLUE", "shopping", 20, 900, "ROTTERDAM", "online"),
        m("HEMA", "shopping", 3, 40, "HAARLEM"), m("ACTION", "shopping", 2, 30, "TILBURG"),
        m("KRUIDVAT", "personal_care", 2, 30, "LEIDEN"), m("ETOS", "personal_care", 3, 25, "GRONINGEN"),
        m("Basic-Fit Nederland", "health", 19.99, 29.99, "", "debit"), m("Apotheek Haarlem", "health", 5, 60, "HAARLEM"),
        m("Zilveren Kruis", "insurance", 120, 160, "", "debit"), m("Centraal Beheer", "insurance", 20, 90, "", "debit"),
        m("PATHE", "entertainment", 10, 30, "AMSTERDAM", "online"), m("Rijksmuseum", "entertainment", 22.5, 45, "AMSTERDAM"),
        m("Videoland", "subscriptions", 4.99, 9.99, "", "online"), m("NRC Media", "subscriptions", 15, 30, "", "debit"),
        m("KLM", "travel", 90, 700, "AMSTELVEEN", "online"), m("Transavia", "travel", 40, 300, "SCHIPHOL", "online"),
        m("DUO Hoofdkantoor", "education", 50, 250, "", "debit"), m("UNICEF Nederland", "gifts", 10, 40, "", "debit"),
    ],
    "ID": [
        m("INDOMARET", "groceries", 8000, 250000, "JAKARTA"), m("ALFAMART", "groceries", 7000, 200000, "BANDUNG"),
        m("SUPERINDO", "groceries", 50000, 700000, "JAKARTA"), m("HYPERMART", "groceries", 80000, 900000, "SURABAYA"),
        m("GOJEK GOFOOD", "dining", 20000, 150000, "JAKARTA", "online"), m("GRABFOOD", "dining", 25000, 160000, "JAKARTA", "online"),
        m("KOPI KENANGAN", "dining", 18000, 60000, "JAKARTA"), m("J.CO DONUTS", "dining", 20000, 120000, "BEKASI"),
        m("RM PADANG SEDERHANA", "dining", 25000, 90000, "DEPOK"),
        m("GOJEK GORIDE", "transport", 10000, 60000, "JAKARTA", "online"), m("GRABCAR", "transport", 20000, 150000, "JAKARTA", "online"),
        m("PERTAMINA SPBU 34.121", "transport", 50000, 400000, "TANGERANG"), m("KAI COMMUTER", "transport", 3000, 20000, "JAKARTA"),
        m("PLN PASCABAYAR", "utilities", 150000, 900000, "", "debit"), m("TELKOMSEL", "utilities", 25000, 200000, "", "online"),
        m("PDAM JAYA", "utilities", 60000, 250000, "", "debit"), m("INDIHOME", "utilities", 300000, 600000, "", "debit"),
        m("TOKOPEDIA", "shopping", 30000, 2000000, "JAKARTA", "online"), m("SHOPEE", "shopping", 20000, 1500000, "JAKARTA", "online"),
        m("LAZADA", "shopping", 25000, 1200000, "JAKARTA", "online"), m("ACE HARDWARE", "housing", 40000, 1500000, "JAKARTA"),
        m("KIMIA FARMA", "health", 15000, 300000, "JAKARTA"), m("RS SILOAM", "health", 200000, 3000000, "TANGERANG"),
        m("GUARDIAN", "personal_care", 20000, 250000, "JAKARTA"), m("BPJS KESEHATAN", "insurance", 35000, 150000, "", "debit"),
        m("CGV CINEMAS", "entertainment", 40000, 150000, "JAKARTA"), m("XXI CINEMA", "entertainment", 35000, 120000, "BANDUNG"),
        m("NETFLIX.COM", "subscriptions", 54000, 186000, "", "online"), m("SPOTIFY", "subscriptions", 49990, 79990, "", "online"),
        m("TRAVELOKA", "travel", 300000, 5000000, "JAKARTA", "online"), m("GARUDA INDONESIA", "travel", 800000, 6000000, "TANGERANG", "online"),
        m("RUANGGURU", "education", 100000, 900000, "JAKARTA", "online"), m("KITABISA", "gifts", 20000, 500000, "", "online"),
        m("KOST MAWAR SEWA", "housing", 1200000, 3500000, "", "debit"),
    ],
    "FR": [
        m("CARREFOUR CITY", "groceries", 4, 70, "PARIS"), m("MONOPRIX", "groceries", 5, 90, "LYON"),
        m("E.LECLERC", "groceries", 20, 200, "RENNES"), m("INTERMARCHE", "groceries", 10, 150, "NANTES"),
        m("PICARD SURGELES", "groceries", 8, 70, "PARIS"), m("FRANPRIX", "groceries", 3, 50, "PARIS"),
        m("BOULANGERIE PAUL", "dining", 2, 15, "LILLE"), m("MCDONALDS", "dining", 5, 25, "MARSEILLE"),
        m("DELIVEROO", "dining", 15, 50, "PARIS", "online"), m("LE PETIT BISTROT", "dining", 18, 80, "BORDEAUX"),
        m("SNCF", "transport", 10, 150, "PARIS", "online"), m("RATP", "transport", 2.1, 20, "PARIS"),
        m("NAVIGO", "transport", 86.4, 86.4, "", "debit"), m("TOTALENERGIES", "transport", 30, 90, "TOULOUSE"),
        m("EDF", "utilities", 40, 200, "", "debit"), m("ENGIE", "utilities", 30, 150, "", "debit"),
        m("FREE MOBILE", "utilities", 2, 20, "", "debit"), m("ORANGE SA", "utilities", 20, 60, "", "debit"),
        m("FONCIA LOYER", "housing", 600, 1500, "", "debit"), m("LEROY MERLIN", "housing", 10, 300, "LILLE"),
        m("FNAC", "shopping", 10, 400, "PARIS"), m("DARTY", "shopping", 30, 800, "BONDY"), m("DECATHLON", "shopping", 8, 200, "VILLENEUVE D ASCQ"),
        m("AMAZON PAYMENTS", "shopping", 6, 150, "LUXEMBOURG", "online"),
        m("PHARMACIE DU CENTRE", "health", 4, 60, "NICE"), m("DOCTOLIB DR MARTIN", "health", 25, 60, "PARIS", "online"),
        m("SEPHORA", "personal_care", 10, 120, "PARIS"), m("SALON COIFFURE ELODIE", "personal_care", 20, 70, "NANTES"),
        m("UGC CINE CITE", "entertainment", 8, 25, "PARIS"), m("FNAC SPECTACLES", "entertainment", 30, 120, "PARIS", "online"),
        m("CANAL+", "subscriptions", 20, 45, "", "debit"), m("DEEZER", "subscriptions", 10.99, 17.99, "", "online"),
        m("AIR FRANCE", "travel", 90, 900, "ROISSY", "online"), m("HOTEL IBIS", "travel", 60, 160, "LYON"),
        m("MAIF", "insurance", 30, 120, "", "debit"), m("AXA FRANCE IARD", "insurance", 25, 110, "", "debit"),
        m("CULTURA", "education", 8, 60, "BEGLES"), m("INTERFLORA", "gifts", 30, 90, "", "online"),
        m("RESTOS DU COEUR", "gifts", 10, 60, "", "online"),
    ],
}  # fmt: skip
CURRENCY_DECIMALS = {"US": 2, "UK": 2, "DE": 2, "NL": 2, "ID": 0, "FR": 2}
MONTHS = {"US": ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], "DE": ["Jan", "Feb", "Mrz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]}  # fmt: skip
PEOPLE = [
    "JANE DOE",
    "MIKE CHEN",
    "ANNA SCHMIDT",
    "J. DE VRIES",
    "BUDI SANTOSO",
    "MARIE DUBOIS",
    "S PATEL",
    "L MUELLER",
]


class Line:
    def __init__(self, rng: random.Random, country: str):
        self.rng, self.country = rng, country
        self.day, self.month, self.year = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2024, 2025, 2026])

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def ref(self, n: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(n))

    def date(self, style: str) -> str:
        d, mo, y = self.day, self.month, self.year
        return {
            "mm/dd": f"{mo:02d}/{d:02d}", "mmdd": f"{mo:02d}{d:02d}", "dd/mm": f"{d:02d}/{mo:02d}",
            "dd.mm.yyyy": f"{d:02d}.{mo:02d}.{y}", "dd.mm.yy": f"{d:02d}.{mo:02d}.{y % 100:02d}",
            "dd-mm-yyyy": f"{d:02d}-{mo:02d}-{y}", "ddmm": f"{d:02d}{mo:02d}", "dd mon": f"{d:02d} {MONTHS['US'][mo - 1]}",
            "mon": MONTHS["DE"][mo - 1], "yyyy-mm-dd": f"{y}-{mo:02d}-{d:02d}", "dd/mm/yy": f"{d:02d}/{mo:02d}/{y % 100:02d}",
        }[style]  # fmt: skip

    def time(self) -> str:
        return f"{self.rng.randint(7, 22):02d}:{self.rng.randint(0, 59):02d}"


def card_text(line: Line, merchant: Merchant) -> str:
    rng, name, city = line.rng, merchant.name, merchant.city
    cut = name[:22]  # the card network's merchant name field
    c = line.country
    if c == "US":
        state = city.split()[-1] if city else ""
        return rng.choice([
            f"POS {line.digits(4)} {cut} {city}",
            f"DEBIT CARD PURCHASE - {line.date('mm/dd')} {name} {city}",
            f"CHECKCARD {line.date('mmdd')} {cut} {city} {line.digits(23)}",
            f"PURCHASE AUTHORIZED ON {line.date('mm/dd')} {cut} {city} S{line.digits(15)} CARD {line.digits(4)}",
            f"{cut:<22} {city.rsplit(' ', 1)[0][:13]:<13} {state}",
            f"{name} {city}",
            f"RECURRING PAYMENT AUTHORIZED ON {line.date('mm/dd')} {cut} {city} CARD {line.digits(4)}",
        ])  # fmt: skip
    if c == "UK":
        return rng.choice([
            f"CARD PAYMENT TO {name},{line.digits(2)}.{line.digits(2)} GBP, RATE 1.00/GBP ON {line.date('dd-mm-yyyy')}",
            f"{name} {city} GB",
            f"CONTACTLESS {name} {city} GB",
            f"{cut} ON {line.date('dd mon')} CLP",
            f"POS {line.digits(4)} {line.date('dd mon')} {name} {city}",
            f"{name} {city} {line.date('dd mon')} BCC",
        ])  # fmt: skip
    if c == "DE":
        return rng.choice([
            f"Kartenzahlung {name} {city} {line.date('dd.mm.yyyy')}",
            f"Debitk.{line.digits(2)} {line.date('dd.mm.yyyy')} {name}//{city}/DE",
            f"Lastschrift {name} {city} girocard {line.date('dd.mm.yyyy')}T{line.time()}",
            f"VISA {name.upper()} {city.upper()} DE {line.date('dd.mm.yyyy')}",
            f"GIROCARD {name} {city} {line.digits(8)} {line.date('dd.mm.yyyy')}",
            f"{name} {city} Kartenzahlung girocard Folgenr. {line.digits(3)} Verfalld. 12{line.year % 100 + 3}",
        ])  # fmt: skip
    if c == "NL":
        return rng.choice([
            f"BEA NR:{line.ref(8)} {line.date('dd.mm.yy')}/{line.time().replace(':', '.')} {name} {city},PAS{line.digits(3)}",
            f"BEA, Betaalpas {name},PAS{line.digits(3)} NR:{line.ref(8)}, {line.date('dd.mm.yy')}/{line.time()} {city}",
            f"Betaalautomaat {line.date('dd-mm-yyyy')} {line.time()} pasnr. {line.digits(3)} {name} {city}",
            f"Apple Pay {name} {city} {line.date('dd-mm-yyyy')}",
            f"{name} {city} NLD Betaalpas",
        ])  # fmt: skip
    if c == "ID":
        return rng.choice([
            f"KARTU DEBIT {name} {city}",
            f"DB DEBIT DOMESTIK {line.date('dd/mm')} {name} {city}",
            f"QR {line.digits(3)} {name} {city}",
            f"TRANSAKSI DEBIT TGL: {line.date('dd/mm')} QRIS {line.digits(12)} {name}",
            f"EDC {name} {city} {line.date('dd/mm')}",
        ])  # fmt: skip
    return rng.choice([  # FR
        f"PAIEMENT PAR CARTE X{line.digits(4)} {name} {city} {line.date('dd/mm')}",
        f"CB {name} {line.date('dd/mm')}",
        f"CARTE X{line.digits(4)} {line.date('dd/mm')} {cut} {city}",
        f"ACHAT CB {name} {line.date('dd.mm.yy')} CARTE NUMERO {line.digits(3)}",
        f"PAIEMENT CB {line.date('dd/mm')} {city} {name}",
    ])  # fmt: skip


def online_text(line: Line, merchant: Merchant) -> str:
    rng, name, c = line.rng, merchant.name, line.country
    nospace = name.replace(" ", "")[:15].upper()
    if c == "US":
        return rng.choice([
            f"PAYPAL *{nospace} {line.digits(10)} {merchant.city.split()[-1] if merchant.city else 'CA'}",
            f"{name} {merchant.city}", f"POS {line.digits(4)} {name[:22]} {merchant.city}",
            f"ONLINE PURCHASE {line.date('mm/dd')} {name} {merchant.city}",
        ])  # fmt: skip
    if c == "UK":
        return rng.choice([f"{name} {merchant.city} GB", f"PAYPAL *{nospace} 35314369001 GB", f"CARD PAYMENT TO {name} ON {line.date('dd mon')}"])  # fmt: skip
    if c == "DE":
        return rng.choice([
            f"SEPA-Lastschrift PayPal (Europe) S.a.r.l. et Cie., S.C.A. {line.digits(13)} PP.{line.digits(4)}.PP . {name}, Ihr Einkauf bei {name}",
            f"Kartenzahlung {name} {merchant.city} {line.date('dd.mm.yyyy')}",
            f"Lastschrift {name} Bestellnr. {line.digits(9)}",
            f"VISA {name.upper()} {line.date('dd.mm.yyyy')} {line.digits(6)}",
        ])  # fmt: skip
    if c == "NL":
        return rng.choice([
            f"iDEAL {name} {line.ref(16)} {line.date('dd-mm-yyyy')} {line.time()}",
            f"/TRTP/iDEAL/IBAN/NL{line.digits(2)}ABNA0{line.digits(9)}/BIC/ABNANL2A/NAME/{name}/REMI/{line.digits(16)}",
            f"Apple Pay {name} {merchant.city}",
        ])  # fmt: skip
    if c == "ID":
        return rng.choice([
            f"TRSF E-BANKING DB {line.date('ddmm')}/FTSCY/WS95031 {line.digits(6)}.00 {name}",
            f"SWITCHING DB TRANSFER {name} {line.digits(10)}",
            f"BYR VIA E-BANKING {line.date('dd/mm')} {name} {line.digits(12)}",
            f"FLIP {name} {line.digits(8)}",
        ])  # fmt: skip
    return rng.choice([  # FR
        f"PAIEMENT PAR CARTE X{line.digits(4)} {name} {line.date('dd/mm')}",
        f"PAYPAL *{nospace} 35314369001 {line.date('dd/mm')}",
        f"CB {name} {merchant.city} {line.date('dd/mm')}",
    ])  # fmt: skip


def debit_text(line: Line, merchant: Merchant) -> str:
    rng, name, c = line.rng, merchant.name, line.country
    if c == "US":
        return rng.choice([
            f"ACH DEBIT {name} {rng.choice(['PAYMENT', 'AUTOPAY', 'WEB PMTS', 'BILL PAY'])} {line.digits(7)}",
            f"{name} {rng.choice(['ONLINE PMT', 'AUTOPAY', 'PAYMENT'])} {line.date('mmdd')} {line.ref(10)} WEB ID: {line.digits(10)}",
            f"ONLINE PAYMENT {line.digits(10)} TO {name} {line.date('mm/dd')}",
        ])  # fmt: skip
    if c == "UK":
        return rng.choice([f"DD {name} {line.ref(12)}", f"DIRECT DEBIT PAYMENT TO {name} REF {line.ref(10)}, MANDATE NO {line.digits(4)}", f"{name} DDR"])  # fmt: skip
    if c == "DE":
        return rng.choice([
            f"SEPA-Lastschrift {name} Mandatsref. {line.ref(10)} Glaeubiger-ID DE{line.digits(2)}ZZZ0000{line.digits(7)}",
            f"Lastschrift {name} Kundennr. {line.digits(8)} {line.date('mon')} {line.year}",
            f"Dauerauftrag {name} {line.date('mon')} {line.year}",
            f"FOLGELASTSCHRIFT {name} {line.ref(10)} END-TO-END-REF.: {line.digits(12)}",
        ])  # fmt: skip
    if c == "NL":
        return rng.choice([
            f"SEPA Incasso algemeen doorlopend Incassant: NL{line.digits(2)}ZZZ{line.digits(12)} Naam: {name} Machtiging: {line.ref(10)} Omschrijving: {line.ref(12)}",
            f"Incasso {name} {line.ref(10)}",
            f"/TRTP/SEPA Incasso algemeen doorlopend/CSID/NL{line.digits(2)}ZZZ{line.digits(12)}/NAME/{name}/MARF/{line.ref(10)}",
        ])  # fmt: skip
    if c == "ID":
        return rng.choice([
            f"BYR VIA E-BANKING {line.date('dd/mm')} {name} {line.digits(12)}",
            f"AUTODEBET {name} {line.digits(10)}",
            f"TRSF E-BANKING DB {line.date('ddmm')}/FTSCY/WS95031 {name} {line.digits(11)}",
        ])  # fmt: skip
    return rng.choice([f"PRLV SEPA {name} {line.ref(12)}", f"PRELEVEMENT EUROPEEN {line.digits(10)} DE: {name} ID: FR{line.digits(2)}ZZZ{line.digits(6)} MOTIF: {line.ref(8)}", f"PRLV {name} ECH/{line.date('dd/mm')}"])  # fmt: skip


# Lines every bank prints without a merchant of its own: salary, transfers, cash, fees.
def salary_text(line: Line) -> str:
    rng, c = line.rng, line.country
    employer = rng.choice({"US": ["ACME CORP", "INITECH INC", "GLOBEX"], "UK": ["HOOLI LTD", "ACME UK LTD"],
                           "DE": ["Muster GmbH", "Beispiel AG"], "NL": ["Voorbeeld B.V.", "ACME Nederland BV"],
                           "ID": ["PT MAJU JAYA", "PT SUMBER MAKMUR"], "FR": ["SOCIETE EXEMPLE SA", "ACME FRANCE SAS"]}[c])  # fmt: skip
    return rng.choice({
        "US": [f"{employer} DIRECT DEP PPD ID: {line.digits(10)}", f"{employer} PAYROLL {line.date('mmdd')}", f"DIRECT DEPOSIT {employer} PAYROLL"],
        "UK": [f"BGC {employer} SALARY", f"FASTER PAYMENTS RECEIPT REF SALARY FROM {employer}", f"{employer} SALARY {line.date('dd mon')}"],
        "DE": [f"Gehalt {line.date('mon')} {line.year} {employer}", f"LOHN/GEHALT {employer} {line.date('mon')}", f"Gutschrift {employer} Lohn {line.date('mon')}"],
        "NL": [f"Salaris {line.date('mon')} {employer}", f"/TRTP/SEPA OVERBOEKING/NAME/{employer}/REMI/SALARIS {line.date('mon').upper()}"],
        "ID": [f"TRSF E-BANKING CR {line.date('ddmm')} GAJI {employer}", f"KR OTOMATIS GAJI {employer} {line.date('mon').upper()}", f"GAJI BULAN {line.date('mon').upper()} {employer}"],
        "FR": [f"VIR SEPA RECU /DE {employer} /MOTIF SALAIRE {line.date('mon').upper()}", f"VIREMENT SALAIRE {employer}", f"VIR {employer} PAIE {line.date('dd/mm')}"],
    }[c])  # fmt: skip


def transfer_text(line: Line, incoming: bool) -> str:
    rng, c, person = line.rng, line.country, rng_person(line)
    if c == "US":
        options = [f"ZELLE {'FROM' if incoming else 'TO'} {person} ON {line.date('mm/dd')} REF # {line.ref(11)}", f"VENMO {'CASHOUT' if incoming else 'PAYMENT'} {line.digits(10)} WEB ID: 3264681992", f"ONLINE TRANSFER {'FROM' if incoming else 'TO'} SAV ...{line.digits(4)} TRANSACTION#: {line.digits(11)}"]  # fmt: skip
    elif c == "UK":
        options = [f"{'FPI' if incoming else 'FPO'} {person} REF {rng.choice(['DINNER', 'LOAN', 'HOLIDAY', 'BILLS'])}", f"TFR {'FROM' if incoming else 'TO'} SAVINGS 20-00-00 {line.digits(8)}", f"MOBILE-CHANNEL {'FROM' if incoming else 'TO'} {person}"]  # fmt: skip
    elif c == "DE":
        options = [f"{'Gutschrift' if incoming else 'Überweisung an'} {person.title()} {rng.choice(['Danke', 'Urlaub', 'Geschenk Anteil', 'Essen'])}", f"Umbuchung {'von' if incoming else 'auf'} Tagesgeld {line.digits(10)}", f"Echtzeitüberweisung {person.title()} {line.ref(8)}"]  # fmt: skip
    elif c == "NL":
        options = [f"Tikkie ID {line.digits(12)}, {rng.choice(['Etentje', 'Boodschappen', 'Weekend'])}, {person.title()}", f"/TRTP/SEPA OVERBOEKING/IBAN/NL{line.digits(2)}INGB0{line.digits(9)}/NAME/{person}/REMI/{rng.choice(['terugbetaling', 'lening', 'huur deel'])}", f"Naar Oranje spaarrekening {line.ref(10)}"]  # fmt: skip
    elif c == "ID":
        options = [f"TRSF E-BANKING {'CR' if incoming else 'DB'} {line.date('ddmm')}/FTSCY/WS95031 {line.digits(6)}.00 {person}", f"SWITCHING {'CR' if incoming else 'DB'} TRANSFER {person}", f"BI-FAST {'CR' if incoming else 'DB'} {person} {line.digits(8)}"]  # fmt: skip
    else:
        options = [f"VIR INST {'RECU DE' if incoming else 'VERS'} {person} {rng.choice(['REMBOURSEMENT', 'CADEAU', 'RESTO'])}", f"VIREMENT {'RECU' if incoming else 'EMIS'} {person}", f"VIR {'DE' if incoming else 'VERS'} LIVRET A {line.digits(11)}"]  # fmt: skip
    return rng.choice(options)


def rng_person(line: Line) -> str:
    return line.rng.choice(PEOPLE)


def cash_text(line: Line) -> str:
    rng, c = line.rng, line.country
    return rng.choice({
        "US": [f"ATM WITHDRAWAL {line.digits(6)} {line.date('mmdd')} {rng.choice(['5TH AVE NEW YORK NY', 'MAIN ST AUSTIN TX', 'MARKET ST SAN FRANCI CA'])}", f"NON-CHASE ATM WITHDRAW {line.digits(6)} {line.date('mmdd')}", f"WITHDRAWAL MADE IN A BRANCH/STORE {line.date('mm/dd')}"],
        "UK": [f"CASH {rng.choice(['LLOYDS BANK', 'NOTEMACHINE', 'HSBC'])} {line.date('dd mon')} @ {line.time()}", f"CASH WITHDRAWAL AT {rng.choice(['TESCO HIGH ST', 'SAINSBURYS', 'NATWEST'])} ON {line.date('dd mon')}", f"ATM WITHDRAWAL {line.ref(6)} {line.date('dd mon')}"],
        "DE": [f"Bargeldauszahlung GA {line.digits(6)} {rng.choice(['Sparkasse', 'Volksbank', 'Deutsche Bank'])} {line.date('dd.mm.yyyy')}", f"Auszahlung Geldautomat {rng.choice(['Berlin', 'Hamburg', 'Koeln'])} {line.date('dd.mm.yyyy')}", f"GA NR{line.digits(8)} BLZ{line.digits(8)} {line.digits(1)}"],
        "NL": [f"GEA NR:{line.ref(8)} {line.date('dd.mm.yy')}/{line.time().replace(':', '.')} {rng.choice(['ING BANK', 'ABN AMRO', 'GELDMAAT'])} {rng.choice(['AMSTERDAM', 'UTRECHT'])},PAS{line.digits(3)}", f"Geldmaat {rng.choice(['Amsterdam', 'Leiden'])} {line.date('dd-mm-yyyy')} {line.time()}"],
        "ID": [f"TARIKAN ATM {line.date('dd/mm')}", f"TARIK TUNAI ATM {rng.choice(['BCA', 'MANDIRI', 'BRI'])} {line.date('dd/mm')} {line.digits(6)}", f"PENARIKAN TUNAI {line.digits(6)}"],
        "FR": [f"RETRAIT DAB {line.date('dd/mm')} {rng.choice(['BNP PARIBAS', 'CREDIT AGRICOLE', 'LCL'])} {rng.choice(['PARIS', 'LYON'])}", f"RETRAIT DAB {line.date('dd/mm')} {line.time()} CARTE X{line.digits(4)}", f"RET DAB {line.date('dd/mm/yy')} {rng.choice(['SOCIETE GENERALE', 'LA POSTE'])}"],
    }[c])  # fmt: skip


def fee_text(line: Line) -> str:
    rng, c = line.rng, line.country
    return rng.choice({
        "US": ["MONTHLY SERVICE FEE", f"OVERDRAFT FEE FOR A ${line.digits(2)}.{line.digits(2)} ITEM - DETAILS: {line.ref(10)}", "FOREIGN TRANSACTION FEE", f"NON-CHASE ATM FEE-WITH {line.date('mmdd')}", "INSUFFICIENT FUNDS FEE"],
        "UK": ["ARRANGED OVERDRAFT CHARGE", "NON-STERLING TRANSACTION FEE", f"ACCOUNT FEE {line.date('dd mon')}", "UNARRANGED OD FEE"],
        "DE": ["Kontoführungsgebühr", f"Entgelt Kontoführung {line.date('mon')} {line.year}", "Auslandseinsatzentgelt", "Abschluss Entgelte Zinsen", "Rechnungsabschluss Entgelt"],
        "NL": ["KOSTEN BETAALPAKKET", f"Kosten Basispakket {line.date('mon')}", "Kosten buitenland transactie", "Rente en kosten"],
        "ID": ["BIAYA ADM", "BIAYA TXN DARI ATM BANK LAIN", f"BIAYA KARTU {line.date('mon').upper()}", "PAJAK BUNGA"],
        "FR": ["FRAIS TENUE DE COMPTE", "COTISATION CARTE VISA", f"COMMISSION INTERVENTION {line.date('dd/mm')}", "FRAIS PAIEMENT HORS ZONE EURO"],
    }[c])  # fmt: skip


def amount_of(rng: random.Random, low: float, high: float, country: str) -> str:
    # Prices cluster low within a range (log-uniform), like real baskets.
    value = low * (high / low) ** rng.random() if high > low else low
    if CURRENCY_DECIMALS[country] == 0:
        return f"{round(value, -2):.0f}"
    return f"{value:.2f}"


def clean_name(merchant: Merchant) -> str:
    """What an enriched export shows as the merchant: no processor prefix, no store number, title case."""
    name = merchant.name
    for prefix in ("SQ *", "TST* ", "DOORDASH*"):
        name = name.replace(prefix, "")
    words = [word for word in name.replace("*", " ").split() if not any(ch.isdigit() for ch in word)]
    return " ".join(words).title()


def row_for(rng: random.Random, country: str, merchant: Merchant | None, kind: str) -> dict:
    line = Line(rng, country)
    if merchant is not None:
        text = {"card": card_text, "online": online_text, "debit": debit_text}[merchant.channel](line, merchant)
        category, key, direction = merchant.category, f"{country}:{clean_name(merchant).lower()}", "debit"
        amount = amount_of(rng, merchant.low, merchant.high, country)
    else:
        scale = 15000 if country == "ID" else 1
        if kind == "income":
            text, category, direction = salary_text(line), "income", "credit"
            amount = amount_of(rng, 1800 * scale, 6500 * scale, country)
        elif kind in ("transfer_in", "transfer_out"):
            text, category = transfer_text(line, incoming=kind == "transfer_in"), "transfer"
            direction = "credit" if kind == "transfer_in" else "debit"
            amount = amount_of(rng, 10 * scale, 900 * scale, country)
        elif kind == "cash":
            text, category, direction = cash_text(line), "cash", "debit"
            amount = f"{rng.choice([20, 40, 50, 60, 100, 200]) * scale:.2f}"
        else:
            text, category, direction = fee_text(line), "fees", "debit"
            amount = amount_of(rng, 1 * scale, 35 * scale, country)
        key = f"{country}:{kind}"
    text = " ".join(text.split())
    style = rng.random()
    if merchant is None or style < 0.4:
        payee, description = "", text
    elif style < 0.7:
        payee, description = text[:32], rng.choice(["", "", f"{line.digits(4)} {line.ref(6)}", text[32:]]).strip()
    else:
        payee, description = clean_name(merchant), text
    return {"merchant": payee, "description": description, "amount": amount, "direction": direction,
            "country": country, "category": category, "merchant_key": key, "origin": "generated"}  # fmt: skip


def generate(rows: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    countries = list(MERCHANTS)
    # A long tail: merchant i of a country is drawn with weight 1 / (i + 2) ** 0.8 after a shuffle.
    weighted = {}
    for country in countries:
        merchants = MERCHANTS[country][:]
        rng.shuffle(merchants)
        weighted[country] = (merchants, [1 / (i + 2) ** 0.8 for i in range(len(merchants))])
    out = []
    for _ in range(rows):
        country = rng.choice(countries)
        kind = rng.choices(["merchant", "income", "transfer_in", "transfer_out", "cash", "fees"], [80, 4, 3, 5, 4, 4])[
            0
        ]
        merchant = rng.choices(*weighted[country])[0] if kind == "merchant" else None
        out.append(row_for(rng, country, merchant, kind))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1700)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with open(HERE / "bank_lines_generated.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(generate(args.rows, args.seed))


if __name__ == "__main__":
    main()
