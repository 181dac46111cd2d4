package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// terminal returns w when it is a terminal (where a progress bar belongs),
// else nil.
func terminal(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return w
	}
	return nil
}

// progress draws "[#####     ] 12/40 files" on a terminal, once the run has
// taken longer than a moment; on anything else it draws nothing.
type progress struct {
	w      io.Writer
	total  int
	start  time.Time
	mu     sync.Mutex
	drawn  bool
	active bool
}

// progressDelay is how long a run goes before a bar appears.
const progressDelay = 500 * time.Millisecond

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start: time.Now(), active: w != nil}
}

func (p *progress) set(done int) {
	if !p.active || time.Since(p.start) < progressDelay {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	const width = 30
	n := width * done / max(1, p.total)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d files", strings.Repeat("#", n), strings.Repeat(" ", width-n), done, p.total)
	p.drawn = true
}

// finish clears the bar, so that what follows starts on a clean line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 50))
	}
}
