//! The zpcheck binary: everything lives in the library; see [`zpcheck::app`].

fn main() {
    std::process::exit(zpcheck::app::main());
}
