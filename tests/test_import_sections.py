"""Summary and background hygiene: the summary is the UA's lead paragraph(s); the background is
the "Additional information" section alone, ending before the language, deadline, name lines
or the action part, whichever comes first."""

from __future__ import annotations

import pytest

from appeal.importer.parse import extract
from appeal.importer.read import read_bytes

TARGET = """Minister of Justice
Juan Pérez
Calle Uno 1
28001 Madrid
España
Email: ministro@justicia.es"""


def x_of(text: str):
    return extract(read_bytes(text.encode("utf-8"), "ua.txt"))


EN = f"""URGENT ACTION
JOURNALIST DETAINED
Date: 3 March 2024
A journalist was detained on 1 March 2024 for reporting on protests.
He has not been allowed to see a lawyer.

TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER
{TARGET}

Dear Minister,
Please release him.
Yours sincerely,

ADDITIONAL INFORMATION
The journalist works for an independent newspaper.
{{after}}
NAME AND PRONOUN: Pedro Gómez (he/him)
UA: 20/24 Index: EUR 41/1234/2024 Spain Date: 3 March 2024"""


@pytest.mark.parametrize("after", [
    "PREFERRED LANGUAGE TO ADDRESS TARGET: Spanish\nYou can also write in your own language.",
    "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 30 April 2024\nPlease check with the Amnesty office.",
    "",
])
def test_background_ends_at_the_next_section(after):
    x = x_of(EN.replace("{after}", after))
    assert x.get("background") == "The journalist works for an independent newspaper."
    assert x.get("summary") == ("A journalist was detained on 1 March 2024 for reporting on protests."
                                "\n\nHe has not been allowed to see a lawyer.")


def test_background_before_the_action_part_ends_there():
    text = f"""URGENT ACTION
JOURNALIST DETAINED
A journalist was detained on 1 March 2024 for reporting on protests.

Additional Information
The journalist works for an independent newspaper.

TAKE ACTION
{TARGET}

Dear Minister,
Please release him.
Sincerely,
UA 20/24"""
    x = x_of(text)
    assert x.get("background") == "The journalist works for an independent newspaper."
    assert [t.name.value for t in x.targets] == ["Juan Pérez"]


def test_spanish_and_french_sections():
    es = f"""ACCIÓN URGENTE
PERIODISTA DETENIDO
Publicado el 3 de marzo de 2024
Un periodista fue detenido el 1 de marzo de 2024 por informar sobre protestas.

ACTÚEN: ESCRIBAN UN LLAMAMIENTO
{TARGET}

Señor Ministro:
Le pido que lo libere.
Atentamente,

Información adicional
El periodista trabaja para un diario independiente.
NOMBRE Y PRONOMBRE: Pedro Gómez (él)
AU: 20/24 Índice: EUR 41/1234/2024 España Fecha: 3 de marzo de 2024"""
    x = x_of(es)
    assert x.get("summary") == "Un periodista fue detenido el 1 de marzo de 2024 por informar sobre protestas."
    assert x.get("background") == "El periodista trabaja para un diario independiente."
    fr = f"""ACTION URGENTE
UN JOURNALISTE DÉTENU
Un journaliste a été arrêté le 1er mars 2024 pour avoir couvert des manifestations.

PASSEZ À L'ACTION
{TARGET}

Monsieur le Ministre,
Je vous demande de le libérer.
Veuillez agréer, Monsieur le Ministre, l'expression de ma haute considération.

Complément d'information
Le journaliste travaille pour un quotidien indépendant.
MERCI D'AGIR LE PLUS RAPIDEMENT POSSIBLE ET AVANT LE : 30 avril 2024
AU : 20/24 Index : EUR 41/1234/2024 Espagne Date : 3 mars 2024"""
    x = x_of(fr)
    assert x.get("summary").startswith("Un journaliste a été arrêté")
    assert x.get("background") == "Le journaliste travaille pour un quotidien indépendant."
