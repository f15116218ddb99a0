"""The readable copy of the data: dates in Brasília time as people write them, situations in
words, nothing of the system's own codes (the JSON beside it keeps those)."""

from __future__ import annotations

from dresbach.features.privacy.document import answer, readable, status, when


def test_moments_are_brasilia_time_in_the_way_people_write_them() -> None:
    assert when("2026-12-07T11:00:00+00:00") == "07/12/2026, às 8h"
    assert when("2026-12-07T13:15:00+00:00") == "07/12/2026, às 10h15"
    assert when("2026-12-07T04:05:00+00:00") == "07/12/2026, à 1h05"
    assert when(None) == ""


def test_situations_and_answers_are_words_not_codes() -> None:
    assert status("paid") == "pago"
    assert status("lost") == "encerrado sem contratação"
    assert answer("area", "lgpd") == "Área: LGPD e governança"
    assert answer("techops.size", "10-49") == "Porte da empresa: De 10 a 49 pessoas"
    assert answer("urgency", "weeks") == "Urgência: Nas próximas semanas"


def test_an_empty_record_says_so_in_each_section() -> None:
    text = readable(
        {
            "controladora": "Exemplo LTDA",
            "gerado_em": "2026-12-07T11:00:00+00:00",
            "encarregado_de_dados": "dpo@exemplo.com.br",
            "titular": {"whatsapp": "5511987650042", "nome_do_perfil": None},
            "conversa": {"etapa_atual": "privacy.exporting"},
        }
    )
    assert text.startswith("SEUS DADOS NA EXEMPLO LTDA\n")
    assert "Cópia gerada em 07/12/2026, às 8h (horário de Brasília)" in text
    assert "- Nome do seu perfil no WhatsApp: Não informado." in text
    assert "- Onde a conversa está agora: Privacidade e seus dados" in text
    assert text.count("Nenhum.") == 8  # leads, payments, receipts, meetings, hand-offs, notices…
    assert "escreva para dpo@exemplo.com.br" in text
