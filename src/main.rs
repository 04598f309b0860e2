//! The `boussole` command. Everything happens in [`boussole::cli`].

fn main() -> std::process::ExitCode {
    boussole::cli::main()
}
