"""ISO 3166-1 alpha-2: the country codes facts may name.

The 249 officially assigned codes (ISO 3166 Maintenance Agency, as in the IANA time zone
database's ``iso3166.tab``), plus ``XK`` (Kosovo), which the European Commission uses. The
two codes the EU writes its own way are read as ISO's: ``EL`` (Greece) as ``GR`` and ``UK``
as ``GB``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic import Strict as StrictType

_TABLE = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
XK
"""
ASSIGNED = frozenset(_TABLE.split())

#: EU usage (Interinstitutional Style Guide) → ISO 3166.
EU_SPELLINGS = {"EL": "GR", "UK": "GB"}


def country_code(value: str) -> str:
    """The ISO code for ``value`` (case and spaces ignored); ValueError if none."""
    code = value.strip().upper()
    code = EU_SPELLINGS.get(code, code)
    if code not in ASSIGNED:
        raise ValueError(f"{value[:20]!r} is not an ISO 3166 alpha-2 country code (e.g. LU, DE)")
    return code


#: An ISO 3166 alpha-2 code in a contract model, upper-cased (EL and UK read as GR and GB).
CountryCode = Annotated[str, StrictType(), AfterValidator(country_code)]
