"""Every word of the reports a manager reads, in pt-BR. Edit wording here only."""

from __future__ import annotations

NO_DATA = "Sem dados no período"
SHOW_NUMBERS = "Ver os números"
TOTAL = "Total"
OTHERS = "Outros"
NO_LABEL = "Sem etiqueta"
NO_TEAM = "Sem equipe"
NO_OPERATOR = "Sem atendente"

PERIOD = "de {first} a {last}"
PERIOD_ONE_DAY = "em {day}"
TOTAL_SENTENCE = "Total no período: {total}."
PEAK_SENTENCE = "Dia com mais: {day}, com {value}."
LINE_SENTENCE = "{series}: de {low} a {high}."
BARS_SENTENCE = "{label}: {value}."
FROM_START = "{percent} do início"
FROM_PREVIOUS = "{percent} da etapa anterior"
COUNT_WORDS = ("avaliação", "avaliações")
FUNNEL_HEADER = ("Etapa", "Quantidade", "Do início", "Da etapa anterior")

STAGES = {
    "offered": "Diagnóstico oferecido",
    "paid": "Diagnóstico pago",
    "booked": "Reunião marcada",
    "held": "Reunião realizada",
}
"""The funnel of Tech Ops, by `stats.Stage` name."""

CSV_HANDOFFS = (
    "Aberto em",
    "Equipe",
    "Atendente",
    "Etiqueta",
    "Primeira resposta em",
    "Encerrado em",
    "Minutos até a primeira resposta",
    "Minutos até a resolução",
    "Nota",
)
CSV_DAILY = (
    "Dia",
    "Atendimentos",
    "Respondidos",
    "Primeira resposta, mediana (min)",
    "Primeira resposta, p90 (min)",
    "Encerrados",
    "Resolução, mediana (min)",
    "Resolução, p90 (min)",
)
CSV_SATISFACTION = ("Nome", "Nota média", "Avaliações")

VOLUME_TITLE = "Atendimentos por dia e por {group}"
VOLUME_DESCRIPTION = "Pedidos de atendimento humano por dia, {period}, por {group}."
GROUP_WORDS = {"team": "equipe", "label": "etiqueta", "operator": "atendente"}
DAY = "Dia"
FIRST_RESPONSE_TITLE = "Tempo até a primeira resposta"
FIRST_RESPONSE_DESCRIPTION = (
    "Tempo entre o pedido de atendimento e a primeira resposta de uma pessoa, por dia do "
    "pedido, {period}. Mediana: metade foi respondida até esse tempo; p90: 9 em cada 10."
)
RESOLUTION_TITLE = "Tempo até a resolução"
RESOLUTION_DESCRIPTION = (
    "Tempo entre o pedido de atendimento e o encerramento, por dia do pedido, {period}. "
    "Mediana: metade foi encerrada até esse tempo; p90: 9 em cada 10."
)
MEDIAN = "Mediana"
P90 = "p90"
SATISFACTION_TITLE = "Satisfação por {group}"
SATISFACTION_DESCRIPTION = (
    "Nota média de 1 a 5 dada pelos clientes ao fim do atendimento e quantas avaliações, {period}."
)
AVERAGE = "Nota média"
RATINGS = "Avaliações"
FUNNEL_TITLE = "Funil da Consultoria Tech Ops"
FUNNEL_DESCRIPTION = (
    "Dos leads que receberam a oferta do diagnóstico {period}, quantos pagaram, marcaram e "
    "realizaram a reunião."
)
