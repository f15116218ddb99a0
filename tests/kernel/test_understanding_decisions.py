"""The understanding tier as transcripts: the customer types, the tier decides.

"sure: X" goes straight to X; "unsure: A | B" asks "Você quis dizer…?" with both; "lost" asks
to rephrase. None of these utterances is in the example or the evaluation file.
"""

from __future__ import annotations

from functools import cache

import pytest

from dresbach.kernel.understanding import (
    AMBIGUITY_MARGIN,
    LOST_FLOOR,
    OUT_OF_SCOPE,
    Decision,
    Example,
    Guess,
    Lost,
    Model,
    Ranking,
    Sure,
    Unsure,
    decide,
    normalize,
    shipped,
    train,
)


@cache
def model() -> Model:
    return shipped.trained_model()


def said(decision: Decision) -> str:
    if isinstance(decision, Sure):
        return f"sure: {decision.intent}"
    if isinstance(decision, Unsure):
        return "unsure: " + " | ".join(sorted(decision.intents))
    return "lost"


def the_tier_hears(text: str) -> str:
    return said(decide(model().rank(text)))


CLEAR = [
    ("Oi, boa tarde! Preciso da 2ª via do boleto de novembro, pode ser?", "sure: billing"),
    ("qro pagar a fatura atrasada", "sure: billing"),
    ("esqueci a senha do meu email e nao consigo entrar", "sure: access"),
    ("o outlook do escritorio parou de baixar os emails", "sure: access"),
    ("MEU SITE TA FORA DO AR!!!", "sure: site_down"),
    ("o site ta com erro 500 desde cedo", "sure: site_down"),
    ("como eu aponto o dominio pro ip novo", "sure: domains_dns"),
    ("preciso adicionar um registro mx", "sure: domains_dns"),
    ("abri um chamado semana passada e ninguém me respondeu ainda", "sure: support_ticket"),
    ("qual o status do ticket 4412", "sure: support_ticket"),
    ("quero contratar uma hospedagem pro meu site novo", "sure: sales"),
    ("quero cancelar meu plano, nao uso mais", "sure: cancellation"),
    ("cancela minha hospedagem por favor", "sure: cancellation"),
    ("preciso de uma auditoria de segurança na empresa", "sure: techops"),
    ("estamos sofrendo um ataque, o servidor ta lento", "sure: techops"),
    ("quanto custa o plano mais barato?", "sure: price"),
    ("qual o valor da consultoria?", "sure: price"),
    ("me passa pra um atendente de verdade", "sure: human"),
    ("quais dados meus vcs tem guardados?", "sure: privacy"),
    ("quero que apaguem meus dados", "sure: privacy"),
    ("opa, bom dia, td certo?", "sure: greeting"),
    ("brigadão, resolveu!", "sure: thanks"),
    ("valeu pela ajuda", "sure: thanks"),
]


@pytest.mark.parametrize(("the_customer_types", "the_tier_decides"), CLEAR)
def test_a_clear_message_is_understood_for_sure(
    the_customer_types: str, the_tier_decides: str
) -> None:
    assert the_tier_hears(the_customer_types) == the_tier_decides


@pytest.mark.parametrize(
    ("the_customer_types", "the_tier_decides"),
    [
        # the e-mail of a domain: the mailbox (access) or the domain's MX records (domains_dns)?
        ("dominio do email", "unsure: access | domains_dns"),
        # the site's e-mail: the mailbox, or is the site down?
        ("email do site", "unsure: access | site_down"),
    ],
)
def test_a_message_between_two_intents_asks_which(
    the_customer_types: str, the_tier_decides: str
) -> None:
    assert the_tier_hears(the_customer_types) == the_tier_decides


@pytest.mark.parametrize(
    "the_customer_types",
    [
        "",  # nothing at all
        "👍🙏",  # only emoji
        "kkkkkkk",  # laughter
        "asdfghjkl",  # a cat on the keyboard
        "quem ganhou o jogo do palmeiras ontem",  # off-topic
        "qual a previsão do tempo em curitiba",  # off-topic
        "me ajuda",  # too little to tell
        "renovar plano",  # three intents equally likely
    ],
)
def test_a_message_that_says_nothing_we_handle_is_lost(the_customer_types: str) -> None:
    assert the_tier_hears(the_customer_types) == "lost"


def test_none_of_these_utterances_is_in_the_shipped_files() -> None:
    known = {normalize(e.text) for e in (*shipped.examples(), *shipped.evaluation_set())}
    mine = [text for text, _ in CLEAR] + ["dominio do email", "email do site"]
    assert [text for text in mine if normalize(text) in known] == []


# --- the decision stage on its own, at its thresholds ------------------------------------------


def ranking(*pairs: tuple[str, float]) -> Ranking:
    return Ranking(guesses=tuple(Guess(i, c) for i, c in pairs), known=10)


def test_confident_and_clearly_ahead_is_sure() -> None:
    decision = decide(ranking(("billing", 0.70), ("price", 0.70 - AMBIGUITY_MARGIN)))
    assert decision == Sure("billing", 0.70)


def test_just_inside_the_margin_is_unsure_between_the_top_two() -> None:
    top = 0.60
    decision = decide(ranking(("billing", top), ("price", top - AMBIGUITY_MARGIN + 0.01)))
    assert isinstance(decision, Unsure)
    assert decision.intents == ("billing", "price")


def test_below_the_floor_is_lost_and_keeps_the_best_guess() -> None:
    decision = decide(ranking(("billing", LOST_FLOOR - 0.01), ("price", 0.05)))
    assert decision == Lost(Guess("billing", LOST_FLOOR - 0.01))


def test_at_the_floor_is_not_lost() -> None:
    decision = decide(ranking(("billing", LOST_FLOOR), ("price", 0.0)))
    assert decision == Sure("billing", LOST_FLOOR)


def test_off_topic_on_top_is_lost_however_confident() -> None:
    assert decide(ranking((OUT_OF_SCOPE, 0.99), ("billing", 0.01))) == Lost(
        Guess(OUT_OF_SCOPE, 0.99)
    )


def test_off_topic_close_behind_never_becomes_a_button() -> None:
    decision = decide(ranking(("billing", 0.50), (OUT_OF_SCOPE, 0.45), ("price", 0.05)))
    assert isinstance(decision, Unsure)
    assert decision.intents == ("billing", "price")


def test_nothing_known_is_lost_without_a_guess() -> None:
    assert decide(Ranking(guesses=(), known=0)) == Lost(None)


# --- determinism --------------------------------------------------------------------------------


def test_two_trainings_rank_every_utterance_identically() -> None:
    again = train(shipped.examples())
    texts = [e.text for e in shipped.evaluation_set()]
    assert [again.rank(t) for t in texts] == [model().rank(t) for t in texts]


def test_the_same_message_gets_the_same_answer_every_time() -> None:
    first = model().rank("oi, meu site caiu e o email nao chega")
    assert all(model().rank("oi, meu site caiu e o email nao chega") == first for _ in range(20))


def test_ties_are_broken_by_intent_name() -> None:
    # Two intents trained on mirror-image examples score a message holding both exactly alike.
    tiny = train(
        [Example(intent="beta", text="xyz", line=1), Example(intent="alpha", text="qwv", line=2)]
    )
    ranked = tiny.rank("xyz qwv")
    assert ranked.guesses == (Guess("alpha", 0.5), Guess("beta", 0.5))
