from bot.townships import township, townships


def test_ten_townships_with_codes() -> None:
    assert len(townships()) == 10
    assert township("530428003")["name"] == "甘庄街道"
    assert township("nope") is None
