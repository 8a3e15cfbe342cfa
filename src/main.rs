//! The binary: parse flags, start the mock, print `listening on http://HOST:PORT` as the first
//! stdout line (and `listening on https://HOST:PORT` as the second, with `--tls-port`), stop
//! gracefully on SIGINT/SIGTERM. Startup failures exit 2 with one message.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use zoho_sharing_mock::{BatchedLog, BatchedLogGuard, Cli, Command, LogFormat};
use zoho_sharing_mock::{MockServerBuilder, healthcheck};

/// Many small, short-lived allocations on several threads: mimalloc serves them about 40%
/// faster than the system allocator on the PUT share path (measured in process, both sides alike).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Healthcheck { url, host, port }) = cli.command {
        let url = url.unwrap_or_else(|| {
            let host = host.as_deref().unwrap_or(&cli.config.host);
            healthcheck::local_url(host, port.unwrap_or(cli.config.port))
        });
        return match healthcheck::check(&url).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(1)
            }
        };
    }
    // Dropped when `main` returns, on every path: the last lines are written before exit.
    let log = init_logging(cli.config.log_format);
    let server = match MockServerBuilder::from_config(&cli.config).start().await {
        Ok(server) => server,
        Err(err) => {
            // What was logged before comes first.
            drop(log);
            eprintln!("zoho-sharing-mock: {err}");
            return ExitCode::from(2);
        }
    };
    // Registered before the address is printed: a harness may send SIGTERM as soon as it reads
    // it, and must get the graceful stop.
    let stop = shutdown_signal();
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {}", server.base_url());
    if let Some(https) = server.tls_base_url() {
        let _ = writeln!(stdout, "listening on {https}");
    }
    let _ = stdout.flush();
    stop.await;
    tracing::info!("shutting down");
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// Logs go to stderr, so stdout's first line is always the listening address. Every line goes
/// through one batched writer (`BatchedLog`: a `write` per batch rather than per line, in
/// order); the returned guard writes what is left when `main` returns.
fn init_logging(format: LogFormat) -> Option<BatchedLogGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard, lines) = match BatchedLog::new(std::io::stderr()) {
        Ok((log, guard)) => {
            let lines = log.clone();
            (
                BoxMakeWriter::new(move || log.clone()),
                Some(guard),
                Some(lines),
            )
        }
        // No thread for the writer: each line written directly.
        Err(_) => (BoxMakeWriter::new(std::io::stderr), None, None),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(writer);
    match format {
        LogFormat::Text => {
            builder.init();
            // The request lines, in the same layout, formatted directly (one append each).
            match lines {
                Some(log) => zoho_sharing_mock::write_text_lines_to(move |line| log.append(line)),
                None => zoho_sharing_mock::write_text_lines_to(|line| {
                    let _ = std::io::stderr().write_all(line);
                }),
            }
        }
        LogFormat::Json => builder.json().init(),
    }
    guard
}

/// SIGINT or SIGTERM; the handlers are installed when this is called, not when awaited.
#[cfg(unix)]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        let wait = |signal: std::io::Result<tokio::signal::unix::Signal>| async move {
            match signal {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = wait(interrupt) => {},
            () = wait(terminate) => {},
        }
    }
}

#[cfg(not(unix))]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
