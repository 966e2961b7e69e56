#!/usr/bin/env python3
"""Deterministic generator of an Obsidian-style vault, and of the same content as a Hugo site.

    python3 scripts/gen_vault.py --notes N --out DIR [--format obsidian|hugo] [--seed 42] [--force]

Same N and seed, same bytes. Both formats carry the same notes:

obsidian  DIR/<Folder>/<Sub>/<Title>.md, a bare vault (no site.toml, a .obsidian/
          folder): 2-4 KB notes in folders up to three deep with accented names,
          YAML front matter (title, nested tags, unique aliases, date), French
          headings with accents, 5-10 wikilinks per note in every form
          ([[Note]], [[Note|texte]], [[Note#Titre]], [[alias]], [[Dossier/Note]])
          of which some point to notes that do not exist, one callout, one inline
          #tag, a fenced code block in 30 % of notes and a table in 25 %.
hugo      DIR/hugo.toml, DIR/layouts/ (page, section list, tag taxonomy and term
          pages, 404) and DIR/content/<folder-slug>/<note-slug>.md: the same text,
          wikilinks turned into relative Markdown links to the target's pretty URL
          (with Goldmark's heading id for [[Note#Titre]]), links to missing notes as
          plain text, aliases as Hugo `aliases` (redirect pages at /<alias-slug>/),
          front-matter and inline tags as the `tags` taxonomy, syntax highlighting on.

The command line is the same as ../shared/bench/gen_vault.py, so either can be used
by scripts/bench.sh (GEN=...). Python 3.8+, standard library only.
"""

import argparse
import json
import os
import posixpath
import random
import re
import shutil
import sys
import unicodedata
from datetime import date, timedelta

# ----------------------------------------------------------------------------- words

# top folder -> second level -> third level folders (may be empty)
TREE = [
    ("Qualité", [
        ("Audits internes", ["Site de Lyon", "Site de Rennes"]),
        ("Non-conformités", []),
        ("Procédures", ["Achats", "Production"]),
        ("Revues de direction", []),
    ]),
    ("Projets", [
        ("Déploiement ERP", ["Lot 1", "Lot 2"]),
        ("Refonte du portail", []),
        ("Usine connectée", ["Études", "Pilote"]),
        ("Archivés", []),
    ]),
    ("Ingénierie", [
        ("Développement", ["Back-end", "Front-end"]),
        ("Réseau et sécurité", []),
        ("Données", ["Entrepôt", "Qualité des données"]),
        ("Exploitation", []),
    ]),
    ("Normes", [
        ("ISO 9001", []),
        ("ISO 14001", []),
        ("ISO 27001", ["Annexe A", "Déclaration d'applicabilité"]),
        ("ISO 45001", []),
    ]),
    ("Réunions", [
        ("2023", ["Premier semestre", "Second semestre"]),
        ("2024", ["Premier semestre", "Second semestre"]),
        ("2025", []),
        ("Comités", []),
    ]),
    ("Ressources humaines", [
        ("Formation", []),
        ("Recrutement", []),
        ("Entretiens annuels", []),
    ]),
]
ALIAS_CODES = ["QUA", "PRJ", "ING", "NRM", "REU", "RH"]

TAG_POOLS = [
    ["qualité", "qualité/audit", "qualité/écart", "amélioration-continue", "norme/iso-9001"],
    ["projet/erp", "projet/portail", "projet/usine", "planning", "jalon"],
    ["tech/rust", "tech/python", "tech/sql", "sécurité/réseau", "sécurité/accès"],
    ["norme/iso-9001", "norme/iso-14001", "norme/iso-27001", "norme/iso-45001", "référentiel"],
    ["réunion", "réunion/comité", "compte-rendu", "décision", "suivi"],
    ["rh/formation", "rh/recrutement", "rh/entretien", "compétences", "accueil"],
]
TAGS_COMMON = [
    "à-relire", "brouillon", "important", "risque", "fournisseur", "environnement",
    "processus/achats", "processus/production", "processus/support", "kb/index",
    "indicateur", "todo",
]

TITLE_HEADS = [
    "Analyse des risques", "Plan d'actions", "Revue de direction", "Procédure d'achat",
    "Audit interne", "Gestion des compétences", "Maîtrise des documents",
    "Tableau de bord", "Traitement des réclamations", "Évaluation des fournisseurs",
    "Cartographie des processus", "Veille réglementaire", "Gestion du changement",
    "Contrôle à réception", "Étalonnage des instruments", "Politique qualité",
    "Objectifs environnementaux", "Gestion des déchets", "Continuité d'activité",
    "Contrôle des accès", "Sauvegarde des serveurs", "Gestion des incidents",
    "Classification de l'information", "Sensibilisation à la sécurité",
    "Compte rendu", "Retour d'expérience", "Architecture applicative",
    "Chaîne de déploiement", "Migration de la base", "Revue de code",
    "Stratégie de test", "Lecteur de configuration", "Module d'export",
    "Spécification fonctionnelle", "Cahier des charges", "Matrice des responsabilités",
    "Note de cadrage", "Planning prévisionnel", "Budget annuel", "Bilan trimestriel",
    "Enquête de satisfaction", "Fiche de poste", "Entretien professionnel",
    "Parcours d'intégration", "Analyse des causes", "Registre des traitements",
    "Plan de surveillance", "Maintenance préventive", "Inventaire des actifs",
    "Comptes à privilèges", "Modèle de données", "Mesure de performance",
    "Journal des décisions", "Charte du projet", "Plan de communication",
    "Étude d'impact", "Exigences du client", "Fiche réflexe", "Glossaire",
    "Guide d'exploitation", "Liste de contrôle", "Revue des exigences",
]
TITLE_TAILS = [
    "des fournisseurs", "du site de Lyon", "du site de Rennes", "de l'atelier",
    "de la ligne d'assemblage", "du service client", "des données personnelles",
    "du lot 1", "du lot 2", "du portail", "de l'équipe réseau", "de la facturation",
    "de l'API publique", "de l'entrepôt", "du laboratoire", "de la filiale de Québec",
    "du siège", "des produits chimiques", "de la sous-traitance", "de l'exercice 2024",
    "de l'exercice 2025", "de la version 2", "de la phase pilote", "de la logistique",
    "du parc informatique", "des postes nomades", "du réseau industriel", "du cloud privé",
    "des prestataires", "du comité qualité", "de l'équipe études", "du magasin",
    "de l'application mobile", "du back-office", "de la paie", "de l'énergie",
    "du transport", "des emballages", "de la salle propre", "des achats",
]
TITLE_SEPS = [" ", " ", " — ", " – "]

HEADINGS = [
    "Contexte et enjeux", "Objectifs", "Périmètre", "Modalités d'exécution",
    "Rôles et responsabilités", "Exigences légales", "Écarts relevés",
    "Critères d'acceptation", "Mise en œuvre", "Références", "Synthèse",
    "Décisions prises", "Actions à mener", "Points de vigilance",
    "Historique des révisions", "Définitions", "Données d'entrée", "Résultats attendus",
    "Indicateurs de suivi", "Prochaines étapes", "Questions ouvertes", "Annexe technique",
    "Évaluation des risques", "Retour d'expérience", "Budget et délais", "Hypothèses",
]
SUBHEADINGS = ["Détails", "Exemple", "Remarques", "Cas particuliers", "Étape 1", "Étape 2",
               "Précisions"]

SUBJECTS = [
    "La responsable qualité", "L'équipe projet", "Le comité de pilotage", "Chaque auditeur",
    "Le fournisseur retenu", "La direction", "Le pilote du processus", "L'opérateur de ligne",
    "Le service achats", "Le référent sécurité", "La cheffe de projet", "L'équipe support",
    "Le responsable de site", "Le délégué à la protection des données", "L'animatrice QSE",
]
VERBS = [
    "vérifie", "documente", "met à jour", "valide", "analyse", "consolide", "planifie",
    "réévalue", "archive", "diffuse", "présente", "contrôle", "révise", "formalise",
]
OBJECTS = [
    "les exigences applicables", "le plan d'actions correctives", "la matrice des risques",
    "les indicateurs de performance", "les écarts relevés pendant l'audit",
    "la revue de direction", "le registre des non-conformités", "les critères d'acceptation",
    "la cartographie des processus", "les enregistrements associés",
    "le suivi des réclamations", "les fiches de données de sécurité",
    "les habilitations des intervenants", "le programme d'audit annuel",
    "les résultats des contrôles à réception", "la liste des parties intéressées",
]
WHENS = [
    "avant chaque revue trimestrielle", "dès réception des résultats",
    "conformément à la procédure en vigueur", "avec les parties intéressées",
    "à la fin de chaque itération", "sous quinze jours", "selon le calendrier établi",
    "pour garantir la traçabilité", "lorsque le seuil d'alerte est dépassé",
    "avec l'accord du client", "après validation par la direction", "", "",
]
ASIDES = [
    "Ce point reste **à confirmer** lors de la prochaine réunion.",
    "La version *provisoire* a été envoyée aux pilotes concernés.",
    "Le fichier `export_mensuel.csv` fait foi.",
    "Les délais constatés dépassent l'objectif de 12 % sur la période.",
    "Aucune dérogation n'est accordée sans étude d'impact préalable.",
    "L'écart a été requalifié en *observation* après échange avec l'auditrice.",
    "Une mise à jour du référentiel est prévue au second semestre.",
    "The rollout stays behind a feature flag until the pilot sites agree.",
    "Each change is reviewed by a second person before it reaches production.",
    "Numbers are exported every night and compared with the previous quarter.",
]
LINK_SENTENCES = [
    "Voir aussi {}.", "Ce point est détaillé dans {}.", "Cf. {} pour le contexte.",
    "La méthode suit {}.", "See {} for the details.", "Les résultats sont repris dans {}.",
    "Un exemple figure dans {}.", "À rapprocher de {}.", "Le modèle vient de {}.",
]
LABELS = [
    "la procédure associée", "cette fiche", "le compte rendu", "the design note",
    "l'analyse détaillée", "la note de référence", "le plan d'actions", "ce retour d'expérience",
]
MISSING = [
    "Note à rédiger", "Procédure à écrire", "Compte rendu manquant", "Fiche à créer",
    "Brouillon perdu", "Étude à venir",
]
CALLOUTS = ["note", "note", "tip", "warning", "info", "important", "question"]
CALLOUT_TITLES = ["À retenir", "Point d'attention", "Rappel", "Important", "Astuce",
                  "Hypothèse", "Remarque"]

CODE = {
    "rust": """use std::collections::BTreeMap;

/// Taux de conformité par exigence ({title}).
pub fn taux_{ident}(mesures: &[(String, u32, u32)]) -> BTreeMap<String, f64> {{
    mesures
        .iter()
        .map(|(exigence, ok, total)| (exigence.clone(), *ok as f64 / (*total).max(1) as f64))
        .collect()
}}

#[test]
fn taux_borne() {{
    let t = taux_{ident}(&[("§{n}".into(), 3, 4)]);
    assert!(t["§{n}"] <= 1.0);
}}""",
    "python": """from dataclasses import dataclass
import csv


@dataclass
class Ecart:
    code: str
    gravite: int


def lire_ecarts_{ident}(chemin, seuil={n}):
    \"\"\"Écarts ({title}) au-dessus du seuil, depuis un export CSV.\"\"\"
    with open(chemin, encoding="utf-8") as f:
        return [Ecart(l["code"], int(l["gravite"]))
                for l in csv.DictReader(f) if int(l["gravite"]) >= seuil]""",
    "yaml": """processus: {ident}
libelle: "{title}"
revision: {n}
pilote: responsable-qualite
indicateurs:
  - nom: taux_de_conformite
    cible: 0.95
    frequence: mensuelle
  - nom: delai_de_traitement
    cible: 10
    unite: jours
revue:
  prochaine: 2025-06-30
  participants: [direction, qualite, production]""",
    "sql": """-- {title}
SELECT e.code, e.gravite, COUNT(a.id) AS actions
FROM ecarts e
LEFT JOIN actions a ON a.ecart_id = e.id
WHERE e.revision >= {n} AND e.processus = '{ident}'
GROUP BY e.code, e.gravite
ORDER BY e.gravite DESC, actions ASC;""",
    "bash": """#!/usr/bin/env bash
# Sauvegarde ({title})
set -euo pipefail
dest=/srv/sauvegardes/{ident}
mkdir -p "$dest"
tar -czf "$dest/$(date +%F).tar.gz" /srv/donnees/{ident}
find "$dest" -name '*.tar.gz' -mtime +{n} -delete""",
}
CODE_LANGS = list(CODE)

TABLE_COLS = ["Exigence", "Statut", "Responsable", "Échéance"]
TABLE_REQS = [
    "§4.1 Contexte de l'organisme", "§5.2 Politique", "§6.1 Risques et opportunités",
    "§7.2 Compétences", "§7.5 Informations documentées", "§8.4 Prestataires externes",
    "§9.2 Audit interne", "§10.2 Non-conformité", "A.5.15 Contrôle d'accès",
    "A.8.13 Sauvegarde de l'information",
]
TABLE_STATES = ["Conforme", "Non conforme", "En cours", "À vérifier", "Sans objet"]
TABLE_PEOPLE = ["M. Dupont", "Mme Lefèvre", "É. Martin", "J. Girard", "C. Nguyen", "S. Moreau"]


# ----------------------------------------------------------------------------- helpers

def slugify(text):
    """isokb's slug rule: accents folded, lower-case ASCII, runs of anything else -> '-'."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def goldmark_id(text):
    """Hugo/Goldmark's default ('github') heading id."""
    out = []
    for c in text.lower():
        if c.isalnum() or c in "-_":
            out.append(c)
        elif c.isspace():
            out.append("-")
    return "".join(out)


def qstr(s):
    """A double-quoted scalar valid in YAML and TOML."""
    return json.dumps(s, ensure_ascii=False)


def yaml_plain_ok(s):
    return not (s == "" or s[0] in "!&*-?[]{}|>@`\"'%#,:" or ": " in s or " #" in s
                or re.fullmatch(r"[-+0-9.]+|true|false|yes|no|null|on|off|~", s, re.I))


def initials(title):
    words = [w for w in re.split(r"[\s'’—–-]+", title) if len(w) > 2 and w[0].isalpha()]
    return "".join(unicodedata.normalize("NFKD", w[0])[0].upper() for w in words[:4]) or "N"


def save(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# ----------------------------------------------------------------------------- model

class Note:
    __slots__ = ("i", "title", "folder", "fslugs", "slug", "aliases", "tags", "inline_tag",
                 "date", "headings", "code", "table", "size", "segments", "links", "front")

    @property
    def vault_path(self):
        return "/".join(self.folder + (self.title,))

    @property
    def url(self):
        return "/" + "/".join(self.fslugs + (self.slug,)) + "/"


def folder_choices():
    """All folders as tuples of names, grouped by depth."""
    tops, seconds, thirds = [], [], []
    for top, subs in TREE:
        tops.append((top,))
        for sub, leaves in subs:
            seconds.append((top, sub))
            for leaf in leaves:
                thirds.append((top, sub, leaf))
    return tops, seconds, thirds


def top_index(folder):
    names = [t for t, _ in TREE]
    return names.index(folder[0]) if folder else None


def plan(n, seed):
    rng = random.Random(f"isokb-plan/{seed}")
    tops, seconds, thirds = folder_choices()
    notes, slugs_used, title_count = [], set(), {}
    for i in range(n):
        nt = Note()
        nt.i = i
        r = rng.random()
        if r < 0.03:
            nt.folder = ()
        elif r < 0.10:
            nt.folder = rng.choice(tops)
        elif r < 0.70:
            nt.folder = rng.choice(seconds)
        else:
            nt.folder = rng.choice(thirds)
        nt.fslugs = tuple(slugify(f) for f in nt.folder)

        base = rng.choice(TITLE_HEADS) + rng.choice(TITLE_SEPS) + rng.choice(TITLE_TAILS)
        # unique by slug over the whole vault (so also case-insensitively by title,
        # which keeps every [[Title]] unambiguous)
        k = title_count.get(base, 0)
        title = base if k == 0 else f"{base} {k + 1}"
        while slugify(title) in slugs_used:
            k += 1
            title = f"{base} {k + 1}"
        title_count[base] = k + 1
        slugs_used.add(slugify(title))
        nt.title = title
        nt.slug = slugify(title)

        t = top_index(nt.folder)
        if t is None:
            t = rng.randrange(len(TREE))
        nt.aliases = [f"{ALIAS_CODES[t]}-{i + 1:05d}"]
        if rng.random() < 0.45:
            nt.aliases.append(f"{initials(title)} {i + 1}")
        tags = []
        for _ in range(rng.randint(2, 4)):
            pool = TAG_POOLS[t] if rng.random() < 0.7 else TAGS_COMMON
            tag = rng.choice(pool)
            if tag not in tags:
                tags.append(tag)
        nt.tags = tags
        nt.date = date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365))
        nt.headings = rng.sample(HEADINGS, rng.randint(3, 5))
        nt.code = rng.choice(CODE_LANGS) if rng.random() < 0.30 else None
        nt.table = rng.random() < 0.25
        nt.size = rng.randint(2150, 3950)
        notes.append(nt)
    return notes


# A link is kept as a tuple so both formats can print it:
#   (form, target note or None, text)   form in title|label|heading|alias|path|missing
def pick_links(nt, notes, by_folder, rng):
    n = len(notes)
    want = min(rng.randint(5, 10), n - 1)
    targets = []
    while len(targets) < want:
        near = by_folder[nt.folder]
        j = rng.choice(near) if rng.random() < 0.4 and len(near) > 1 else rng.randrange(n)
        if j != nt.i and j not in targets:
            targets.append(j)
    links = []
    for j in targets:
        tg = notes[j]
        r = rng.random()
        if r < 0.28:
            links.append(("title", tg, None))
        elif r < 0.46:
            links.append(("label", tg, rng.choice(LABELS)))
        elif r < 0.62:
            links.append(("heading", tg, rng.choice(tg.headings)))
        elif r < 0.78:
            links.append(("alias", tg, rng.choice(tg.aliases)))
        elif r < 0.92 and tg.folder:
            links.append(("path", tg, None))
        elif r < 0.92:
            links.append(("title", tg, None))
        else:
            links.append(("missing", None, f"{rng.choice(MISSING)} {rng.randrange(max(n // 25, 3))}"))
    # the forms must all be there in any vault of some size: force one each on a few notes
    if nt.i < 6 and links:
        forced = ["title", "label", "heading", "alias", "path", "missing"][nt.i]
        tg = links[0][1] or notes[(nt.i + 1) % n]
        if forced == "path" and not tg.folder:
            forced = "title"
        text = {"label": LABELS[0], "heading": tg.headings[0], "alias": tg.aliases[0],
                "missing": f"{MISSING[0]} {nt.i}"}.get(forced)
        links[0] = (forced, None if forced == "missing" else tg, text)
    return links


def sentence(rng):
    r = rng.random()
    if r < 0.25:
        return rng.choice(ASIDES)
    when = rng.choice(WHENS)
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return s + (" " + when if when else "") + "."


def paragraph(rng, lo, hi):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


LINK_MARK = "\x00{}\x00"
LINK_MARK_RE = re.compile("\x00([0-9]+)\x00")


def compose(nt, notes, by_folder, seed):
    """The note's body as text with \\x00k\\x00 where link k goes, and its links."""
    rng = random.Random(f"isokb-body/{seed}/{nt.i}")
    links = pick_links(nt, notes, by_folder, rng)
    marks = [LINK_MARK.format(k) for k in range(len(links))]
    pending = list(marks)
    sections = [[] for _ in nt.headings]
    intro = paragraph(rng, 2, 3)

    kind = rng.choice(CALLOUTS)
    callout = [f"> [!{kind}] {rng.choice(CALLOUT_TITLES)}", "> " + sentence(rng)]
    if pending:
        callout.append("> " + rng.choice(LINK_SENTENCES).format(pending.pop()))
    sections[0].append("\n".join(callout))

    inline = rng.choice(nt.tags) if rng.random() < 0.6 else rng.choice(TAGS_COMMON)
    nt.inline_tag = inline
    sections[min(1, len(sections) - 1)].append(
        f"{sentence(rng)} Suivi sous #{inline} jusqu'à clôture. {sentence(rng)}")

    items = []
    for _ in range(rng.randint(2, 4)):
        items.append("- " + ("[ ] " if rng.random() < 0.3 else "") + sentence(rng))
    if pending:
        items.append("- " + rng.choice(LINK_SENTENCES).format(pending.pop()))
    sections[-1].append("\n".join(items))

    if nt.table:
        rows = ["| " + " | ".join(TABLE_COLS) + " |", "|" + "---|" * len(TABLE_COLS)]
        for _ in range(rng.randint(3, 6)):
            d = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
            rows.append(f"| {rng.choice(TABLE_REQS)} | {rng.choice(TABLE_STATES)} | "
                        f"{rng.choice(TABLE_PEOPLE)} | {d.isoformat()} |")
        rng.choice(sections).append("\n".join(rows))
    if nt.code:
        src = CODE[nt.code].format(title=nt.title.replace('"', "'"),
                                   ident=nt.slug.replace("-", "_")[:32], n=nt.i % 89 + 2)
        rng.choice(sections).append(f"```{nt.code}\n{src}\n```")
    while pending:
        rng.choice(sections).append(
            paragraph(rng, 1, 2) + " " + rng.choice(LINK_SENTENCES).format(pending.pop()))

    def text():
        parts = [intro]
        for h, blocks in zip(nt.headings, sections):
            parts.append("## " + h)
            parts.extend(blocks)
        return "\n\n".join(parts) + "\n"

    # grow to the note's size, counting the front matter and the links as written
    nt.links = links
    nt.front = obsidian_front(nt, seed)
    link_len = [len(wikilink(ln).encode()) - len(m) for ln, m in zip(links, marks)]
    fixed = len(nt.front.encode()) + sum(link_len)
    body = text()
    while fixed + len(body.encode()) + 450 < nt.size:
        sec = rng.randrange(len(sections))
        if rng.random() < 0.12:
            sections[sec].append("### " + rng.choice(SUBHEADINGS))
        sections[sec].append(paragraph(rng, 2, 4))
        body = text()
    while fixed + len(body.encode()) < nt.size - 70:
        sections[-1].append(sentence(rng))
        body = text()
    nt.segments = body


# ----------------------------------------------------------------------------- obsidian

def wikilink(link):
    form, tg, text = link
    if form == "title":
        return f"[[{tg.title}]]"
    if form == "label":
        return f"[[{tg.title}|{text}]]"
    if form == "heading":
        return f"[[{tg.title}#{text}]]"
    if form == "alias":
        return f"[[{text}]]"
    if form == "path":
        return f"[[{tg.vault_path}]]"
    return f"[[{text}]]"


def obsidian_front(nt, seed):
    rng = random.Random(f"isokb-fm/{seed}/{nt.i}")
    title = nt.title if yaml_plain_ok(nt.title) and rng.random() < 0.6 else qstr(nt.title)
    fm = ["---", f"title: {title}"]
    if rng.random() < 0.35:
        fm.append("tags: [" + ", ".join(nt.tags) + "]")
    else:
        fm.append("tags:")
        fm += [f"  - {t}" for t in nt.tags]
    fm.append("aliases:")
    fm += [f"  - {a if yaml_plain_ok(a) and rng.random() < 0.7 else qstr(a)}" for a in nt.aliases]
    fm.append(f"date: {nt.date.isoformat()}")
    fm.append("---")
    return "\n".join(fm) + "\n\n"


def write_obsidian(out, notes, seed):
    save(os.path.join(out, ".obsidian", "app.json"),
         json.dumps({"newLinkFormat": "shortest", "useMarkdownLinks": False}, indent=2) + "\n")
    for nt in notes:
        body = LINK_MARK_RE.sub(lambda m: wikilink(nt.links[int(m.group(1))]), nt.segments)
        save(os.path.join(out, *nt.folder, nt.title + ".md"), nt.front + body)


# ----------------------------------------------------------------------------- hugo

HUGO_TOML = """baseURL = "https://kb.example.org/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Base de connaissances (banc d'essai)"
disableKinds = ["RSS"]
enableRobotsTXT = true

[taxonomies]
  tag = "tags"

[markup.goldmark.parser]
  autoHeadingID = true
  autoHeadingIDType = "github"

[markup.highlight]
  codeFences = true
  noClasses = true
  style = "monokai"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> · <a href="{{ "/tags/" | relURL }}">Étiquettes</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Sections }}<ul class="sections">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
<ul class="pages">{{ range .RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">#{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>#{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Page introuvable</h1>{{ end }}
""",
}


def md_link(link, src):
    form, tg, text = link
    if form == "missing":
        return text  # a link to nothing: plain text (isokb shows it as broken text)
    rel = posixpath.relpath(tg.url, src.url) + "/"
    if form == "heading":
        return f"[{tg.title} › {text}]({rel}#{goldmark_id(text)})"
    shown = {"label": text, "alias": text}.get(form, tg.title)
    return f"[{shown}]({rel})"


def write_hugo(out, notes):
    save(os.path.join(out, "hugo.toml"), HUGO_TOML)
    for rel, text in HUGO_LAYOUTS.items():
        save(os.path.join(out, "layouts", *rel.split("/")), text)
    tops, seconds, thirds = folder_choices()
    save(os.path.join(out, "content", "_index.md"), f"---\ntitle: {qstr('Accueil')}\n---\n")
    for folder in tops + seconds + thirds:  # every folder is a section, as in isokb
        slugs = [slugify(f) for f in folder]
        save(os.path.join(out, "content", *slugs, "_index.md"),
             f"---\ntitle: {qstr(folder[-1])}\n---\n")
    for nt in notes:
        tags = nt.tags + ([nt.inline_tag] if nt.inline_tag not in nt.tags else [])
        fm = ["---", f"title: {qstr(nt.title)}", f"date: {nt.date.isoformat()}",
              "tags: [" + ", ".join(qstr(t) for t in tags) + "]",
              "aliases: [" + ", ".join(qstr("/" + slugify(a) + "/") for a in nt.aliases) + "]",
              "---"]
        body = LINK_MARK_RE.sub(lambda m: md_link(nt.links[int(m.group(1))], nt), nt.segments)
        save(os.path.join(out, "content", *nt.fslugs, nt.slug + ".md"),
             "\n".join(fm) + "\n\n" + body)


# ----------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, required=True, help="number of notes (>= 2)")
    ap.add_argument("--out", required=True, help="folder to write (must be empty or absent)")
    ap.add_argument("--format", choices=["obsidian", "hugo"], default="obsidian")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--force", action="store_true", help="replace --out if it has files")
    a = ap.parse_args(argv)
    if a.notes < 2:
        ap.error("--notes must be at least 2")
    if os.path.isdir(a.out) and os.listdir(a.out):
        if not a.force:
            ap.error(f"{a.out} is not empty (use --force to replace it)")
        shutil.rmtree(a.out)

    notes = plan(a.notes, a.seed)
    by_folder = {}
    for nt in notes:
        by_folder.setdefault(nt.folder, []).append(nt.i)
    for nt in notes:
        compose(nt, notes, by_folder, a.seed)
    if a.format == "obsidian":
        write_obsidian(a.out, notes, a.seed)
    else:
        write_hugo(a.out, notes)

    forms = {}
    for nt in notes:
        for f, _, _ in nt.links:
            forms[f] = forms.get(f, 0) + 1
    tags = {t for nt in notes for t in nt.tags + [nt.inline_tag]}
    print(f"{a.format}: {a.notes} notes, {sum(len(nt.links) for nt in notes)} links "
          f"({', '.join(f'{k} {v}' for k, v in sorted(forms.items()))}), "
          f"{sum(1 for nt in notes if nt.code)} with code, {sum(1 for nt in notes if nt.table)} "
          f"with a table, {len(tags)} tags, seed {a.seed} -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
