from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone, translation

from ksr_portal.dashboards.rendering import lsr_rows_html


def test_counts_in_the_rows_are_grouped_like_the_templates_numbers():
    now = timezone.now()
    row = SimpleNamespace(
        pk=7,
        teryt_code="0603",
        gmina_name="Żmudź <b>",
        county_name="chełmski",
        stage_label="start",
        active_a=1,
        active_b=0,
        active_c=2,
        has_kis_main=True,
        has_signed_partnership=False,
        cards_done=3,
        overdue=0,
        last_meeting=now,
        next_meeting=None,
        last_monitoring=now.date(),
        responses=12345,
    )
    with translation.override("pl"):
        html = lsr_rows_html(
            [row],
            lsr_url_prefix="/sieci/",
            detail_url_suffix="/",
            cards_url_suffix="/karty/",
            yes_html="tak",
            no_html="nie",
            stale_before=now - timedelta(days=180),
        )
    assert '<td class="text-end">12\xa0345</td>' in html
    assert '<td class="text-end">1</td>' in html
    assert "Żmudź &lt;b&gt;" in html
