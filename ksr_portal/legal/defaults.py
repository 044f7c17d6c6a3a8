"""The default texts of the legal pages (Polish legal content, data rather than UI strings):
seeded by migration 0002 and shown until the administrator saves their own."""

import datetime

STATEMENT = {
    "entity": "Krajowe Centrum Sieci Reintegracji (operator Portalu KSR)",
    "site_url": "https://ksr.example.gov.pl/",
    "published_on": datetime.date(2026, 12, 1),
    "updated_on": datetime.date(2026, 12, 1),
    "status": "partial",
    "non_accessible": (
        "Rysunek sieci (schemat SVG członków LSR) nie ma pełnego opisu tekstowego relacji; "
        "te same dane są dostępne na liście członków.\n"
        "Część dokumentów PDF (porozumienia, karty procedur, raporty ewaluacji) nie ma "
        "znaczników struktury (PDF/UA); ich treść jest dostępna na stronach portalu.\n"
        "Pliki dodane przez użytkowników do Gminnej Biblioteczki LSR i dowody realizacji "
        "czynności mogą nie być dostępne – nie podlegają obowiązkowi zapewnienia dostępności "
        "(art. 3 ust. 2 pkt 5 ustawy: treści nie wytworzone ani nie opracowane przez podmiot)."
    ),
    "prepared_on": datetime.date(2026, 12, 1),
    "reviewed_on": datetime.date(2026, 12, 1),
    "assessment": (
        "Deklarację sporządzono na podstawie samooceny przeprowadzonej przez podmiot publiczny: "
        "automatyczne testy każdej strony narzędziem axe-core (WCAG 2.1 AA), sprawdzenie "
        "obsługi klawiaturą i czytnikiem ekranu oraz widoku na ekranie o szerokości 390 px."
    ),
    "contact_person": "Koordynator ds. dostępności Portalu KSR",
    "email": "dostepnosc@ksr.example.gov.pl",
    "phone": "+48 22 000 00 00",
    "complaint_procedure": (
        "Każdy ma prawo wystąpić do podmiotu publicznego z żądaniem zapewnienia dostępności "
        "cyfrowej strony internetowej lub jej elementu. Można także zażądać udostępnienia "
        "informacji za pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie "
        "niedostępnego dokumentu lub opisanie zawartości filmu bez audiodeskrypcji.\n"
        "Żądanie powinno zawierać dane osoby zgłaszającej, wskazanie, o którą stronę lub "
        "element strony chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę "
        "otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także "
        "określić dogodny dla niej sposób przedstawienia tej informacji.\n"
        "Podmiot publiczny realizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni od "
        "dnia jego wystąpienia. Jeżeli dotrzymanie tego terminu nie jest możliwe, niezwłocznie "
        "informuje o terminie realizacji, nie dłuższym niż 2 miesiące od dnia wystąpienia z "
        "żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny "
        "może zaproponować alternatywny sposób dostępu do informacji.\n"
        "W przypadku odmowy realizacji żądania zapewnienia dostępności lub alternatywnego "
        "sposobu dostępu do informacji wnoszący żądanie może złożyć skargę w sprawie "
        "zapewniania dostępności cyfrowej. Po wyczerpaniu tej procedury można także złożyć "
        "wniosek do Rzecznika Praw Obywatelskich (https://bip.brpo.gov.pl/)."
    ),
    "architecture": (
        "Siedziba podmiotu: wejście z poziomu chodnika, winda do wszystkich kondygnacji, "
        "toaleta dostosowana do potrzeb osób z niepełnosprawnościami na parterze, miejsce "
        "parkingowe dla osób z niepełnosprawnościami przed budynkiem. Do budynku można wejść "
        "z psem asystującym i psem przewodnikiem."
    ),
    "communication": (
        "Kontakt możliwy jest przez e-mail, telefon i pocztę tradycyjną. Osoby głuche mogą "
        "skorzystać z kontaktu przez e-mail lub poprosić o tłumacza języka migowego."
    ),
    "mobile_apps": "Portal KSR nie ma aplikacji mobilnej; działa w przeglądarce telefonu.",
}

NOTICE = {
    "controller": (
        "Administratorem danych osobowych przetwarzanych w Portalu KSR jest Krajowe Centrum "
        "Sieci Reintegracji (operator portalu), adres e-mail: kontakt@ksr.example.gov.pl. "
        "Dane osób pracujących w LSR wprowadza i za nie odpowiada także gmina (ośrodek "
        "pomocy społecznej lub KIS) prowadząca daną LSR."
    ),
    "data_protection_officer": (
        "Z inspektorem ochrony danych można się kontaktować pod adresem iod@ksr.example.gov.pl "
        "we wszystkich sprawach dotyczących przetwarzania danych osobowych."
    ),
    "personal_data": (
        "Użytkownicy portalu: imię, nazwisko, adres e-mail, telefon, rola i zakres dostępu, "
        "historia zmian wprowadzonych w portalu.\n"
        "Osoby kontaktowe organizacji członkowskich: imię, nazwisko, funkcja, e-mail, telefon.\n"
        "Uczestnicy wywiadów i seminariów: imię, nazwisko lub pseudonim, instytucja, notatki "
        "z wywiadu (anonimizowane po zakończeniu badania).\n"
        "Respondenci ankiet publicznych: odpowiedzi bez danych identyfikujących – ankiety są "
        "anonimowe, portal nie zapisuje powiązania odpowiedzi z zaproszeniem."
    ),
    "purposes": (
        "Prowadzenie Lokalnych, Regionalnych i Krajowej Sieci Reintegracji, kontakt z "
        "partnerami, realizacja kart procedur, monitoring i ewaluacja – na podstawie art. 6 "
        "ust. 1 lit. e RODO (zadanie realizowane w interesie publicznym, w związku z ustawą "
        "o pomocy społecznej i ustawą o zatrudnieniu socjalnym).\n"
        "Udział w wywiadach i badaniach ankietowych – na podstawie zgody (art. 6 ust. 1 lit. a "
        "RODO), którą można w każdej chwili wycofać.\n"
        "Bezpieczeństwo portalu i rozliczalność zmian (historia zmian, blokada po nieudanych "
        "logowaniach) – art. 6 ust. 1 lit. c i e RODO."
    ),
    "recipients": (
        "Dane widzą wyłącznie osoby uprawnione w zakresie swojej roli (animator LSR, "
        "koordynator ROPS, koordynator KSR, przedstawiciele partnerów) oraz podmioty "
        "świadczące usługi hostingu i poczty elektronicznej na podstawie umów powierzenia."
    ),
    "retention": (
        "Dane użytkowników – przez czas posiadania konta i 5 lat po jego wyłączeniu; dane osób "
        "kontaktowych – do czasu wystąpienia organizacji z LSR i 5 lat później; dane "
        "uczestników wywiadów – do zakończenia badania, po czym są anonimizowane; dokumentacja "
        "LSR – zgodnie z przepisami o archiwach."
    ),
    "rights": (
        "Przysługuje Pani/Panu prawo dostępu do swoich danych, ich sprostowania, usunięcia lub "
        "ograniczenia przetwarzania, prawo do wniesienia sprzeciwu wobec przetwarzania oraz – "
        "gdy podstawą jest zgoda – prawo do jej cofnięcia w dowolnym momencie bez wpływu na "
        "zgodność z prawem przetwarzania dokonanego przed jej cofnięciem. Dane nie służą do "
        "zautomatyzowanego podejmowania decyzji ani profilowania."
    ),
    "complaint": (
        "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych "
        "Osobowych (ul. Stawki 2, 00-193 Warszawa, https://uodo.gov.pl/)."
    ),
    "updated_on": datetime.date(2026, 12, 1),
}
