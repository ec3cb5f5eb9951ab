from bot.__main__ import main


def test_menu_subcommand_checks_the_shipped_menu(capsys) -> None:
    assert main(["menu", "check"]) == 0
    assert "menu OK" in capsys.readouterr().out


def test_unknown_subcommand_prints_usage(capsys) -> None:
    assert main(["nonsense"]) == 2
    assert "usage" in capsys.readouterr().err
