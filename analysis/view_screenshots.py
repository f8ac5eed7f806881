#!/usr/bin/env python3
"""Writes the HTML pages of a Veracruz run and of the strategies study, and the screenshots of
them in docs/analysis.md, taken in headless Chromium (the same DevTools code as the browser
test, interdict_analysis/_browser.py):

    ./run.sh run scenarios/veracruz.toml -o results/veracruz.h5 --seed 2011
    ./run.sh sweep scenarios/studies/strategies.toml -o results/strategies --resume
    /usr/bin/python3 analysis/view_screenshots.py results/veracruz.h5 results/strategies \\
        --study scenarios/studies/strategies.toml --pages results --figures docs/figures

Pages: PAGES/veracruz.html and PAGES/strategies.html. Screenshots: view-run.png (the run at
day 300, fifty days after the takedown), view-study.png (the study's comparisons) and
view-study-run.png (the takedown variant's run opened from it, at day 300).
"""
import argparse
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import interdict_analysis as ia  # noqa: E402
from interdict_analysis._browser import Browser  # noqa: E402

WIDTH, HEIGHT = 1400, 980
DAY = 300


def at_day(page, day, scope=""):
    """Moves the slider to `day` as an input event would (the test moves it by clicks)."""
    page.evaluate(f"""(() => {{
        const s = document.querySelector("{scope} .time-slider");
        s.value = {day};
        s.dispatchEvent(new Event("input"));
    }})()""")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="a run file (results/veracruz.h5)")
    parser.add_argument("study", help="a study directory (results/strategies)")
    parser.add_argument("--study-file", "--study", dest="study_file",
                        help="the study's TOML file (default: found under scenarios/)")
    parser.add_argument("--pages", default="results", help="where the HTML pages go")
    parser.add_argument("--figures", default="docs/figures", help="where the PNG files go")
    args = parser.parse_args(argv)
    pages, figures = pathlib.Path(args.pages), pathlib.Path(args.figures)
    figures.mkdir(parents=True, exist_ok=True)
    run_page = ia.write_view(args.run, pages / "veracruz.html")
    study_page = ia.write_view(args.study, pages / "strategies.html", study_file=args.study_file)
    for page in (run_page, study_page):
        print(f"wrote {page} ({page.stat().st_size / 1e6:.2f} MB)")
    with Browser() as browser:
        page = browser.open(run_page, WIDTH, HEIGHT)
        at_day(page, DAY)
        (figures / "view-run.png").write_bytes(page.screenshot())
        errors = page.errors
        page = browser.open(study_page, WIDTH, HEIGHT)
        (figures / "view-study.png").write_bytes(page.screenshot())
        page.click_element('table.variants a.variant[data-variant="takedown-2011"]')
        time.sleep(0.3)
        at_day(page, DAY, ".study-run")
        (figures / "view-study-run.png").write_bytes(page.screenshot())
        errors += page.errors
    if errors:
        print("JavaScript errors:\n" + "\n".join(errors), file=sys.stderr)
        return 1
    print(f"wrote view-run.png, view-study.png and view-study-run.png to {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
