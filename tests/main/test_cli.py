import pytest
from click.testing import CliRunner

from wellbeing.cli import main


@pytest.fixture
def run_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("WELLBEING_INSTANCE", str(tmp_path))
    for name in ("DATABASE_URL", "REDIS_URL", "SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)

    def run(*args, input=None):
        return CliRunner().invoke(main, list(args), input=input)
    return run


def test_create_admin_then_sign_in_works(run_cli, tmp_path):
    assert run_cli("db", "upgrade").exit_code == 0
    result = run_cli("create-admin", "--org", "Acme", "--email", "HR@acme.example.com",
                     "--name", "Hana", input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    assert "Org admin hr@acme.example.com created for Acme." in result.output
    again = run_cli("create-admin", "--org", "Acme", "--email", "hr@acme.example.com",
                    "--name", "Hana", input="a long password\na long password\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_admin_refuses_a_short_password(run_cli):
    run_cli("db", "upgrade")
    result = run_cli("create-admin", "--org", "Acme", "--email", "hr@acme.example.com",
                     "--name", "Hana", input="short\nshort\n")
    assert result.exit_code != 0 and "at least 12 characters" in result.output


def test_demo_is_created_once(run_cli):
    assert "Demo organisation created." in run_cli("demo").output
    assert "Demo organisation exists." in run_cli("demo").output
