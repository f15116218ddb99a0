"""The menu's registration: the home of every conversation, and the words that lead back to it."""

from __future__ import annotations

from dresbach.features.menu import flow
from dresbach.features.menu.flow.table import time_of_day, to_sales
from dresbach.features.menu.flow.texts import BUTTONS, SALES, TEXTS, WHAT
from dresbach.features.menu.states import Menu
from dresbach.kernel.conversation import Place
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.kernel.machine.house import Home
from dresbach.kernel.machine.routes import Route
from dresbach.kernel.messages import Button
from dresbach.platform.feature import Feature

HOME = Home(
    new=Place(flow="menu", state="new"),
    main=Place(flow="menu", state="main"),
    idle=Place(flow="menu", state="idle"),
    texts=TEXTS,
    what=WHAT,
    person=Button(id="go:human", title=BUTTONS["human"]),
    time_of_day=time_of_day,
)

COMMANDS = (
    GlobalCommand(
        name="menu",
        words=("menu", "menu principal", "inicio", "voltar ao menu", "voltar ao inicio"),
        button_ids=("go:menu",),
        action="menu",
    ),
    GlobalCommand(
        name="back",
        words=("voltar", "anterior", "volta"),
        button_ids=("go:back",),
        action="back",
    ),
    GlobalCommand(name="quit", words=("sair", "encerrar"), button_ids=("go:quit",), action="quit"),
    GlobalCommand(
        name="cancel", words=("cancelar", "cancela"), button_ids=("go:cancel",), action="cancel"
    ),
)

ROUTES = (
    Route(
        intent="sales",
        title=SALES["route"],
        handler=to_sales,
        goes_to=(Menu.SALES.qualified,),
    ),
)

FEATURE = Feature(
    name="menu",
    routes=ROUTES,
    flows=(flow.FLOW,),
    catalogs={"menu": {**TEXTS, **WHAT}, "menu.buttons": BUTTONS, "menu.sales": SALES},
    commands=COMMANDS,
    home=HOME,
)
