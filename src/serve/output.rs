//! Frames to the SSH channel. ratatui draws through crossterm's backend into a buffer; the
//! buffer goes to the channel as one chunk per frame. The terminal's size comes from the
//! client (pty request, window changes), never from crossterm, which would ask the server's
//! own tty.

use crossterm::queue;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use tokio::sync::mpsc::Sender;

/// The client's terminal size, set by the connection, read by the session's thread.
#[derive(Debug, Default)]
pub struct SharedSize(AtomicU32);

impl SharedSize {
    pub fn new(width: u16, height: u16) -> Self {
        let s = SharedSize::default();
        s.set(width, height);
        s
    }
    pub fn set(&self, width: u16, height: u16) {
        self.0.store(
            u32::from(width) << 16 | u32::from(height),
            Ordering::Relaxed,
        );
    }
    pub fn get(&self) -> Size {
        let v = self.0.load(Ordering::Relaxed);
        Size::new((v >> 16) as u16, (v & 0xffff) as u16)
    }
}

/// Collects what crossterm writes; `flush` hands it to the connection as one chunk, except
/// inside a frame, whose chunk leaves at the frame's end.
pub struct FrameWriter {
    buf: Vec<u8>,
    tx: Sender<Vec<u8>>,
    in_frame: Arc<AtomicBool>,
}

impl FrameWriter {
    pub fn new(tx: Sender<Vec<u8>>) -> Self {
        FrameWriter {
            buf: Vec::with_capacity(16 * 1024),
            tx,
            in_frame: Arc::default(),
        }
    }
}

impl Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.in_frame.load(Ordering::Relaxed) || self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(16 * 1024));
        // Blocks while the client is behind (back-pressure); fails once the connection is gone.
        self.tx
            .blocking_send(chunk)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the SSH channel closed"))
    }
}

/// crossterm's backend on a `FrameWriter`, with the size the client reported.
pub struct SessionBackend {
    inner: CrosstermBackend<FrameWriter>,
    size: Arc<SharedSize>,
    cursor: Position,
    in_frame: Arc<AtomicBool>,
}

impl SessionBackend {
    pub fn new(writer: FrameWriter, size: Arc<SharedSize>) -> Self {
        let in_frame = writer.in_frame.clone();
        SessionBackend {
            inner: CrosstermBackend::new(writer),
            size,
            cursor: Position::ORIGIN,
            in_frame,
        }
    }

    /// Begin a frame: the synchronized-update marker, and no chunk leaves until its end.
    pub fn begin_frame(&mut self) -> io::Result<()> {
        self.in_frame.store(true, Ordering::Relaxed);
        queue!(self.inner, BeginSynchronizedUpdate)
    }

    pub fn end_frame(&mut self) -> io::Result<()> {
        queue!(self.inner, EndSynchronizedUpdate)?;
        self.in_frame.store(false, Ordering::Relaxed);
        Write::flush(&mut self.inner)
    }
}

/// Raw writes (terminal modes at the start and end of a session) go out on `flush`.
impl Write for SessionBackend {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl Backend for SessionBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    /// The last position set: asking the client would mean reading its answer off the input.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size.get())
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size.get(),
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::widgets::Paragraph;

    fn drain(rx: &mut tokio::sync::mpsc::Receiver<Vec<u8>>) -> Vec<Vec<u8>> {
        std::iter::from_fn(|| rx.try_recv().ok()).collect()
    }

    #[test]
    fn one_chunk_per_frame_and_the_clients_size() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let size = Arc::new(SharedSize::new(20, 4));
        let mut t = Terminal::new(SessionBackend::new(FrameWriter::new(tx), size.clone())).unwrap();
        assert_eq!(t.size().unwrap(), Size::new(20, 4));
        for text in ["hello", "world"] {
            t.backend_mut().begin_frame().unwrap();
            t.draw(|f| f.render_widget(Paragraph::new(text), f.area()))
                .unwrap();
            t.backend_mut().end_frame().unwrap();
        }
        let chunks = drain(&mut rx);
        assert_eq!(chunks.len(), 2, "one chunk per frame");
        let first = String::from_utf8_lossy(&chunks[0]);
        assert!(first.starts_with("\x1b[?2026h") && first.ends_with("\x1b[?2026l"));
        assert!(first.contains("hello"));

        // A window change: the next frame is drawn whole at the new size.
        size.set(30, 6);
        t.backend_mut().begin_frame().unwrap();
        let area = t
            .draw(|f| f.render_widget(Paragraph::new("world"), f.area()))
            .unwrap()
            .area;
        t.backend_mut().end_frame().unwrap();
        assert_eq!((area.width, area.height), (30, 6));
        let chunks = drain(&mut rx);
        assert_eq!(chunks.len(), 1);
        assert!(String::from_utf8_lossy(&chunks[0]).contains("world"));
    }

    #[test]
    fn a_closed_connection_is_an_error_not_a_hang() {
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        drop(rx);
        let mut w = FrameWriter::new(tx);
        w.write_all(b"x").unwrap();
        assert_eq!(w.flush().unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }
}
