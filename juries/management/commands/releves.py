"""`python manage.py releves --annee 2026-2027 --semestre 2 --output DIR`: every relevé of a jury,
one PDF per student (numero_nom_S2_2026-2027.pdf) and the merged PDF for printing, in DIR.

Like the secretariat's "Générer" button, it issues the codes of a deliberated jury still missing."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from juries.pdf.releve import releve_html, verification_url
from juries.presenters.releve import ReleveError
from juries.rules.french import plural
from juries.services.releve_batch import default_workers, releves_to_print, write_batch, zip_pdfs


class Command(BaseCommand):
    help = "Génère les relevés de notes d'un jury : un PDF par étudiant et un PDF unique pour l'impression."

    def add_arguments(self, parser):
        parser.add_argument("--annee", required=True, help="année universitaire, ex. 2026-2027")
        parser.add_argument("--semestre", type=int, required=True, choices=range(1, 7), help="1 à 6")
        parser.add_argument("--output", required=True, help="dossier de destination (créé au besoin)")
        parser.add_argument("--numero", action="append", help="seulement ces étudiants (option répétable)")
        parser.add_argument("--zip", action="store_true", help="écrit aussi le ZIP des PDF individuels")
        parser.add_argument("--workers", type=int, default=0, help="processus de rendu (défaut : 2 au plus)")
        parser.add_argument("--url", default="", help="adresse publique du site pour la vérification des codes")

    def handle(self, *args, **opts):
        started = time.perf_counter()
        try:
            docs = releves_to_print(annee=opts["annee"], semester=opts["semestre"], numeros=opts["numero"])
        except ReleveError as exc:
            raise CommandError(str(exc)) from exc
        if not docs:
            raise CommandError(f"Aucun étudiant inscrit en S{opts['semestre']} {opts['annee']}.")
        url = verification_url(opts["url"])
        htmls = [releve_html(d, verify_url=url) for d in docs]
        out = Path(opts["output"])
        total = len(docs)
        step = max(1, total // 10)

        def progress(done: int) -> None:
            if done == total or done % step == 0:
                self.stdout.write(f"  {done} / {total}")

        paths, merged = write_batch(docs=docs, htmls=htmls, out_dir=out,
                                    workers=opts["workers"] or default_workers(total), progress=progress)
        if opts["zip"]:
            zip_pdfs(paths, out / merged.name.replace("_impression.pdf", ".zip"))
        if docs[0].official:
            written = plural(total, "relevé officiel écrit", "relevés officiels écrits")
        else:
            written = plural(total, "relevé PROVISOIRE écrit", "relevés PROVISOIRES écrits") + " (le jury n'a pas délibéré)"
        self.stdout.write(self.style.SUCCESS(
            f"{written} dans {out}, PDF d'impression : {merged.name} "
            f"({time.perf_counter() - started:.1f} s)."
        ))
