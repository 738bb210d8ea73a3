/**
 * The header's search box: typing opens the search page with results as you type (the page debounces); Enter
 * goes there too. It follows the page's query when the shopper edits it there or goes back.
 */
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { currentSearchParams } from '../search-params';

export function SearchBox() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const onSearchPage = pathname === '/search';
  const q = onSearchPage ? (params.get('q') ?? '') : '';
  const [value, setValue] = useState(q);
  useEffect(() => {
    setValue(q);
  }, [q]);
  const go = (text: string) => {
    const next = onSearchPage ? currentSearchParams() : new URLSearchParams();
    next.set('q', text);
    // While typing on the search page, each keystroke replaces the entry (Back leaves search, not a letter).
    navigate(`/search?${next.toString()}`, { replace: onSearchPage });
  };
  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        go(value);
      }}
    >
      <label htmlFor="site-search" className="visually-hidden">
        Search the store
      </label>
      <input
        id="site-search"
        type="search"
        placeholder="Search the store"
        autoComplete="off"
        maxLength={1000}
        value={value}
        data-testid="search-box"
        onChange={(e) => {
          setValue(e.currentTarget.value);
          go(e.currentTarget.value);
        }}
      />
    </form>
  );
}
