/**
 * Start an interview: a resume (dropped or picked), the job description and the target role, or
 * the sample of all three in one click. The file is checked before upload; what the server
 * refuses is said in words, under the field it concerns.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useNavigate } from "react-router";
import { describeError, fieldErrors } from "../api/errors";
import {
  createSession,
  JOB_DESCRIPTION_MAX,
  type SessionView,
  TARGET_ROLE_MAX,
} from "../api/sessions";
import { Notice } from "../components/Notice";
import { PageTitle } from "../components/PageTitle";
import { ResumePicker, resumeProblem } from "../components/ResumePicker";
import { sessionKey, sessionsKey } from "../hooks/useLiveSession";

/** Where the build puts the repository's samples (scripts/copy-samples.mjs). */
export const SAMPLE_FILES = {
  resume: "/samples/resume.pdf",
  jobDescription: "/samples/job-description.txt",
  targetRole: "/samples/target-role.txt",
};

async function fetchSample(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

type Field = "resume" | "job_description" | "target_role";

export function NewInterview() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [resume, setResume] = useState<File | null>(null);
  const [jobDescription, setJobDescription] = useState("");
  const [targetRole, setTargetRole] = useState("");
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [sampleError, setSampleError] = useState<string | null>(null);
  const [sampleLoading, setSampleLoading] = useState(false);
  // One key per filled-in form: a retry after a lost answer makes no second interview.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const ids = { jd: useId(), jdCount: useId(), jdErr: useId(), role: useId(), roleErr: useId() };

  const mutation = useMutation({
    mutationFn: createSession,
    onSuccess: (view: SessionView) => {
      queryClient.setQueryData(sessionKey(view.id), view);
      void queryClient.invalidateQueries({ queryKey: sessionsKey });
      navigate(`/interviews/${view.id}/preparing`);
    },
    onError: (error) => setErrors(serverErrors(error)),
  });

  function changed() {
    setIdempotencyKey(crypto.randomUUID());
    mutation.reset();
  }

  function pickResume(file: File) {
    setResume(file);
    setErrors((old) => ({ ...old, resume: resumeProblem(file) ?? undefined }));
    changed();
  }

  async function loadSample() {
    setSampleLoading(true);
    setSampleError(null);
    try {
      const [pdf, description, role] = await Promise.all([
        fetchSample(SAMPLE_FILES.resume).then((r) => r.blob()),
        fetchSample(SAMPLE_FILES.jobDescription).then((r) => r.text()),
        fetchSample(SAMPLE_FILES.targetRole).then((r) => r.text()),
      ]);
      setResume(new File([pdf], "sample-resume.pdf", { type: "application/pdf" }));
      setJobDescription(description.trim());
      setTargetRole(role.trim());
      setErrors({});
      changed();
    } catch {
      setSampleError("The sample could not be loaded. Please try again, or use your own files.");
    } finally {
      setSampleLoading(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!resume) found.resume = "Choose your resume (PDF or DOCX).";
    else {
      const problem = resumeProblem(resume);
      if (problem) found.resume = problem;
    }
    if (!jobDescription.trim()) found.job_description = "Paste the job description.";
    if (!targetRole.trim()) found.target_role = "Name the role you are applying for.";
    setErrors(found);
    if (Object.keys(found).length > 0 || !resume) return;
    mutation.mutate({
      resume,
      jobDescription: jobDescription.trim(),
      targetRole: targetRole.trim(),
      idempotencyKey,
    });
  }

  const formError =
    mutation.isError && Object.keys(serverErrors(mutation.error)).length === 0
      ? describeError(mutation.error)
      : null;

  return (
    <div className="page">
      <PageTitle>Start a new interview</PageTitle>
      <p className="lead">
        Give CareerFlow your resume and the job you want. It writes ten questions for you — five
        technical, five behavioral — and gives feedback on each answer.
      </p>

      <section className="sample-callout" aria-labelledby="sample-heading">
        <div>
          <h2 id="sample-heading">First time here?</h2>
          <p>Try it with a sample resume and job description of a fictional engineer.</p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => void loadSample()}
          disabled={sampleLoading}
        >
          {sampleLoading ? "Loading the sample…" : "Use the sample"}
        </button>
      </section>
      {sampleError ? (
        <Notice level="error">
          <p>{sampleError}</p>
        </Notice>
      ) : null}

      <form className="card form" onSubmit={submit} noValidate aria-label="New interview">
        {formError ? (
          <Notice level="error" title="The interview could not be started">
            <p>{formError}</p>
          </Notice>
        ) : null}
        <ResumePicker file={resume} error={errors.resume ?? null} onPick={pickResume} />

        <div className="field">
          <label htmlFor={ids.role} className="field-label">
            Target role
          </label>
          <input
            id={ids.role}
            className="input"
            type="text"
            autoComplete="organization-title"
            maxLength={TARGET_ROLE_MAX}
            placeholder="e.g. Senior Backend Engineer"
            value={targetRole}
            onChange={(event) => {
              setTargetRole(event.target.value);
              changed();
            }}
            aria-invalid={errors.target_role ? true : undefined}
            aria-describedby={errors.target_role ? ids.roleErr : undefined}
          />
          {errors.target_role ? (
            <p id={ids.roleErr} className="field-error">
              {errors.target_role}
            </p>
          ) : null}
        </div>

        <div className="field">
          <label htmlFor={ids.jd} className="field-label">
            Job description
          </label>
          <textarea
            id={ids.jd}
            className="input textarea"
            rows={9}
            maxLength={JOB_DESCRIPTION_MAX}
            value={jobDescription}
            onChange={(event) => {
              setJobDescription(event.target.value);
              changed();
            }}
            aria-invalid={errors.job_description ? true : undefined}
            aria-describedby={errors.job_description ? `${ids.jdCount} ${ids.jdErr}` : ids.jdCount}
          />
          <p id={ids.jdCount} className="field-hint">
            Paste the whole advert. {jobDescription.length.toLocaleString()} of{" "}
            {JOB_DESCRIPTION_MAX.toLocaleString()} characters.
          </p>
          {errors.job_description ? (
            <p id={ids.jdErr} className="field-error">
              {errors.job_description}
            </p>
          ) : null}
        </div>

        <button
          type="submit"
          className="button button-primary button-wide"
          disabled={mutation.isPending}
        >
          {mutation.isPending ? "Uploading…" : "Start the interview"}
        </button>
      </form>
    </div>
  );
}

/** The server's 413/415/422 answers, by the field they concern. */
function serverErrors(error: unknown): Partial<Record<Field, string>> {
  const byField: Partial<Record<Field, string>> = {};
  const named = fieldErrors(error);
  for (const field of ["resume", "job_description", "target_role"] as const) {
    if (named[field]) byField[field] = named[field];
  }
  const status = (error as { status?: number } | null)?.status;
  if (status === 413 || status === 415) byField.resume = describeError(error);
  return byField;
}
