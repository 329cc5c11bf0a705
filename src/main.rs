//! The zpcheck binary: everything lives in the library; see [`zpcheck::app`].

/// mimalloc: a batch allocates and frees many small strings per cell; the system allocator
/// spent a tenth of a check in malloc and free (measured with perf, see benches/batch.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(zpcheck::app::main());
}
