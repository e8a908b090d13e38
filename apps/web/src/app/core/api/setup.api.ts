import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { ApiRoutes, type SetupChecklist } from '@guichet/contracts';
import type { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class SetupApi {
  private readonly http = inject(HttpClient);

  checklist(): Observable<SetupChecklist> {
    return this.http.get<SetupChecklist>(ApiRoutes.setupChecklist);
  }
}
