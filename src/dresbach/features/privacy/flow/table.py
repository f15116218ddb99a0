"""The `privacidade` transition table: the data subject's rights over WhatsApp.

    start → exporting → menu.main                 (Baixar meus dados: a text to read and a JSON)
    start → correct_checking → correct_which → correct_name | correct_email → correcting → menu.main
    start → correct_checking → start                          (nothing held: said before asking)
    start → erase_confirm → erasing → menu.new               (Excluir: afresh, notice again)

Each request is a job; its result comes back as an event, answered here or, when the customer
went on meanwhile, wherever they are (the interrupts). The flow imports neither Tech Ops nor the
Área do Cliente: client-area data needs that area's login, and the options say so.
"""

from __future__ import annotations

from types import MappingProxyType

from dresbach.features.privacy.flow import correction, erasure, portability
from dresbach.features.privacy.flow.prompts import buttons, options, text
from dresbach.features.privacy.states import Elsewhere, Privacy
from dresbach.kernel.machine.machine import Flow, Rule, State

_FAILED = Rule(handler=portability.failed, goes_to=(Privacy.START,), label="falhou")
_CHOOSE = Rule(handler=portability.choose, goes_to=portability.CHOICES)
_WHICH = Rule(
    handler=correction.which, goes_to=(Privacy.CORRECT_NAME, Privacy.CORRECT_EMAIL, Privacy.START)
)
_CONFIRM = Rule(handler=erasure.confirm, goes_to=(Privacy.START, Privacy.ERASING))

STATES = (
    State(
        name=Privacy.START,
        prompt=options,
        rules={"choice": _CHOOSE, "text": _CHOOSE},
        listens=True,  # a menu: what it does not offer may be understood
    ),
    State(
        name=Privacy.EXPORTING,
        prompt=text("exporting"),
        rules={
            "personal_data_exported": Rule(
                handler=portability.exported, goes_to=(Elsewhere.MENU_MAIN,), label="arquivo pronto"
            ),
            "privacy_request_failed": _FAILED,
        },
        resting=True,
    ),
    State(
        name=Privacy.CORRECT_CHECKING,
        prompt=text("correct_checking"),
        rules={
            "correctable_data_counted": Rule(
                handler=correction.counted,
                goes_to=(Privacy.CORRECT_WHICH, Privacy.START),
                label="conferido",
            ),
            "privacy_request_failed": _FAILED,
        },
        resting=True,
    ),
    State(
        name=Privacy.CORRECT_WHICH,
        prompt=correction.which_prompt,
        rules={"choice": _WHICH, "text": _WHICH},
    ),
    State(
        name=Privacy.CORRECT_NAME,
        prompt=text("correct_name"),
        rules={"text": Rule(handler=correction.new_name, goes_to=(Privacy.CORRECTING,))},
    ),
    State(
        name=Privacy.CORRECT_EMAIL,
        prompt=text("correct_email"),
        rules={"text": Rule(handler=correction.new_email, goes_to=(Privacy.CORRECTING,))},
    ),
    State(
        name=Privacy.CORRECTING,
        prompt=text("correcting"),
        rules={
            "personal_data_corrected": Rule(
                handler=correction.corrected, goes_to=(Elsewhere.MENU_MAIN,), label="corrigido"
            ),
            "privacy_request_failed": _FAILED,
        },
        resting=True,
    ),
    State(
        name=Privacy.ERASE_CONFIRM,
        prompt=buttons("erase_confirm", "erase_yes", "erase_no"),
        rules={"choice": _CONFIRM, "text": _CONFIRM},
    ),
    State(
        name=Privacy.ERASING,
        prompt=text("erasing"),
        rules={
            "personal_data_erased": Rule(
                handler=erasure.erased, goes_to=(erasure.FRESH,), label="excluído"
            ),
            "privacy_request_failed": _FAILED,
        },
        resting=True,
    ),
)

FLOW = Flow(
    name=Privacy.flow,
    names=Privacy,
    title="Privacidade e seus dados",
    entry=Privacy.START,
    states=MappingProxyType({state.name: state for state in STATES}),
    interrupts=MappingProxyType(
        {
            "personal_data_exported": Rule(handler=portability.exported_elsewhere),
            "personal_data_corrected": Rule(handler=correction.corrected_elsewhere),
            "personal_data_erased": Rule(
                handler=erasure.erased, goes_to=(erasure.FRESH,), label="excluído"
            ),
            "privacy_request_failed": Rule(handler=portability.failed_elsewhere),
        }
    ),
)
