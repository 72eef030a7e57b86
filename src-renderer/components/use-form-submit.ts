/**
 * A form's send: while it runs the form is busy; a failure's problems go beside their fields
 * (`errorsOrToast`: VALIDATION naming a field) or, naming none, into a toast.
 */
import { useState, type FormEvent } from 'react';
import { errorsOrToast } from './field-errors';

export function useFormSubmit(send: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await send();
    } catch (error) {
      setErrors(errorsOrToast(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, submit };
}
