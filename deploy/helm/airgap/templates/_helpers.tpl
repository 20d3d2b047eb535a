{{- define "airgap.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "airgap.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "airgap.licenseSecret" -}}
{{- .Values.license.existingSecret | default (printf "%s-license" (include "airgap.fullname" .)) -}}
{{- end -}}

{{- define "airgap.licensed" -}}
{{- if or .Values.license.existingSecret .Values.license.files -}}true{{- end -}}
{{- end -}}

{{- define "airgap.claim" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- $p := index $root.Values.persistence $name -}}
{{- $p.existingClaim | default (printf "%s-%s" (include "airgap.fullname" $root) $name) -}}
{{- end -}}
