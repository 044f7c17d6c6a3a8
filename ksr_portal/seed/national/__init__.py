"""The synthetic national data set (issue 7, item 4): an LSR in every gmina of the TERYT register,
with members, procedure cards in mixed states, meetings, monitoring terms, a task partnership and a
survey campaign with responses — for load tests of the ROPS and KSR dashboards.

Rows are written with bulk_create, bypassing the services (and their events: a membership change
re-syncs the LSR's cards, far too slow for 70 000 members), but in the SAME shape the services
produce: an LSR has its voivodeship's RSR as parent and `teryt_code` = its gmina's code, five KIS
hub tasks, exactly one active main node, cards 1–5 run by the main node, 6–10 by the gmina's OPS
(the first type B social-assistance institution to join), 11–13 by every type C member (closed as
not applicable, with the service's reason, when the member left), activities copied from the
current card templates, and a card's status derived from its activities exactly as the workflow
does (`derive_card_status`): done only when every activity is closed and the card was completed.
No audit history is written (django-simple-history records save(), not bulk_create).

Every organisation made here has an e-mail address in the reserved `.invalid` domain below, so
`--replace` can remove them again. Persons and organisations are invented.

The generator (`NationalDataset`, `generate`) is `ksr_portal.seed.national_dataset`; its steps are
the modules of this package, its vocabulary `data/national.yaml` and
`data/national_organisations.csv`.
"""
