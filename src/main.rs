//! The zpcheck binary: everything lives in the library; see [`zpcheck::cli`].

fn main() {
    std::process::exit(zpcheck::cli::main());
}
