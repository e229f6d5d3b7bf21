from alliance.inputs import posted_key, posted_keys


def test_only_ascii_digits_within_bigint_are_keys():
    assert posted_keys(["12", "²", "٣", "99999999999999999999", "0", "-1", "1.5", " 7", "abc", "", "9223372036854775807"]) \
        == [12, 9223372036854775807]
    assert posted_key(None) is None
