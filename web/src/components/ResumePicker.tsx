/**
 * The resume field: drop a file on it or pick one (a real file input, so it works by keyboard
 * and with a screen reader). The type and size are checked here before any upload; the gateway
 * checks again by the file's content.
 */
import { type DragEvent, useId, useState } from "react";
import { RESUME_MAX_BYTES } from "../api/sessions";

const ACCEPTED_TYPES = new Set([
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]);

/** Why a file cannot be a resume here, or null when it may be sent. */
export function resumeProblem(file: File): string | null {
  const name = file.name.toLowerCase();
  const typeOk = ACCEPTED_TYPES.has(file.type) || name.endsWith(".pdf") || name.endsWith(".docx");
  if (!typeOk) {
    return `“${file.name}” is not a PDF or Word (DOCX) file. Please choose your resume as PDF or DOCX.`;
  }
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > RESUME_MAX_BYTES) {
    return `“${file.name}” is ${(file.size / (1024 * 1024)).toFixed(1)} MB; the limit is 5 MB.`;
  }
  return null;
}

interface Props {
  file: File | null;
  error: string | null;
  onPick: (file: File) => void;
}

export function ResumePicker({ file, error, onPick }: Props) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const [dragging, setDragging] = useState(false);

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) onPick(dropped);
  }

  return (
    <div className="field">
      <label htmlFor={inputId} className="field-label">
        Resume
      </label>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse shortcut; the file input inside is the keyboard's way */}
      <div
        className={`dropzone${dragging ? " dropzone-active" : ""}${error ? " dropzone-invalid" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <svg className="dropzone-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4 4m4-4 4 4M5 16v3h14v-3" />
        </svg>
        <p className="dropzone-text">
          {file ? (
            <>
              <strong className="file-name">{file.name}</strong>
              <span className="muted"> · {(file.size / 1024).toFixed(0)} KB</span>
            </>
          ) : (
            "Drop your resume here"
          )}
        </p>
        {/* A second label for the same input, hidden from assistive technology: the input is
            already named "Resume"; this one is the visible button that opens the picker. */}
        <label htmlFor={inputId} className="button dropzone-choose" aria-hidden="true">
          {file ? "Choose another file" : "Choose a file"}
        </label>
        <input
          id={inputId}
          className="file-input"
          type="file"
          accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            const picked = event.target.files?.[0];
            if (picked) onPick(picked);
          }}
        />
      </div>
      <p id={hintId} className="field-hint">
        PDF or Word (DOCX), up to 5 MB.
      </p>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
